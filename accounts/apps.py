from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        # Connects the per-address count of failed sign-ins.
        from accounts import signin_limit  # noqa: F401
