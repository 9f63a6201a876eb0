"""Accounts: users log in with their e-mail; agents keep their own politeness formulas and signatures."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str):
        # Logins ignore case, as the unique constraint does (rows written outside create_user may
        # keep capitals); LOWER on both sides lets PostgreSQL use that constraint's index.
        return self.alias(email_lower=Lower("email")).get(email_lower=Lower(Value(email)))

    async def aget_by_natural_key(self, email: str):
        return await self.alias(email_lower=Lower("email")).aget(email_lower=Lower(Value(email)))

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(
        "accès à l'administration", default=False, help_text="Peut se connecter à l'interface /admin/."
    )
    is_moderator = models.BooleanField(
        "modérateur DITP",
        default=False,
        help_text="Modère et oriente les expériences ; voit toutes les structures.",
    )
    receives_digest = models.BooleanField(
        "reçoit le récapitulatif quotidien",
        default=True,
        help_text="Récapitulatif des expériences sans réponse après 48 h, 72 h et 7 jours.",
    )
    receives_target_alerts = models.BooleanField(
        "reçoit les alertes de dépassement du délai cible",
        default=True,
        help_text="Un e-mail (au plus un par structure et par heure) dès qu'une expérience dépasse le délai cible.",
    )
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["email"]
        constraints = [
            # Logins are case-insensitive: two accounts must not differ only by case.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class ReplyText(models.Model):
    """A text an agent keeps in their profile and picks under an answer (seed 003); one table per kind.

    Each kind names its own `user` (for its related name) and `text` (for its label).
    """

    TEXT_MAX_LENGTH = 500

    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["user", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


def _reply_text_owner(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(User, on_delete=models.CASCADE, related_name=related_name, verbose_name="agent")


class PolitenessFormula(ReplyText):
    """A closing formula an agent picks when answering (seed 003: « formules de politesse »)."""

    user = _reply_text_owner("formulas")
    text = models.TextField("formule", max_length=ReplyText.TEXT_MAX_LENGTH)

    class Meta(ReplyText.Meta):
        verbose_name = "formule de politesse"
        verbose_name_plural = "formules de politesse"


class Signature(ReplyText):
    """A signature an agent picks when answering (seed 003)."""

    user = _reply_text_owner("signatures")
    text = models.TextField("signature", max_length=ReplyText.TEXT_MAX_LENGTH)

    class Meta(ReplyText.Meta):
        verbose_name = "signature"
        verbose_name_plural = "signatures"
