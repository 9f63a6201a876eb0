"""Admin for users (e-mail login), their politeness formulas, signatures and memberships; the site's titles."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from common.admin import ProjectAdminMixin, TabularInline
from structures.models import Membership

from . import services
from .models import PolitenessFormula, Signature, User

# The admin site is Django's default one; its titles are set once, here, with the first app it loads.
admin.site.site_header = "Administration Services Publics+"
admin.site.site_title = "Administration Services Publics+"
admin.site.index_title = "Accueil de l'administration"

DUPLICATE_EMAIL = "Un utilisateur utilise déjà cette adresse e-mail."


def clean_unique_email(email: str, instance: User) -> str:
    """Lower-case the address as UserManager does, and refuse one that differs from another only by case."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=instance.pk).exists():
        raise ValidationError(DUPLICATE_EMAIL, code="unique")
    return email


class UserCreationForm(auth_forms.AdminUserCreationForm):
    """The superuser's: by default, as for a moderator, the user chooses their password from the welcome e-mail."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["usable_password"]
        field.label = "Mot de passe"
        field.choices = [("false", "Choisi par l'utilisateur (lien envoyé par e-mail)"), ("true", "Défini ici")]
        field.initial = "false"
        field.help_text = (
            f"Le lien, valable {settings.PASSWORD_RESET_TIMEOUT // 3600} heures et une seule fois, est envoyé avec "
            "l'adresse de la page de connexion. Un mot de passe défini ici ne déclenche aucun e-mail."
        )

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data["email"], self.instance)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data["email"], self.instance)


class AccountCreationForm(forms.ModelForm):
    """What a moderator fills in to open an account: no password; the user chooses it from an e-mailed link."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data["email"], self.instance)

    def save(self, commit=True):
        self.instance.set_unusable_password()
        return super().save(commit)


# Only superusers manage privileges: a moderator who could tick these or set a password could make
# themselves superuser or sign in as the administrator (issue 12).
PRIVILEGE_FIELDS = ("is_staff", "is_moderator", "is_superuser", "groups", "user_permissions")
PASSWORD_BY_EMAIL = (
    "Ni visible ni modifiable ici : pour que l'utilisateur choisisse un nouveau mot de passe, "
    "envoyez-lui un lien par e-mail (liste des utilisateurs, action « Envoyer un lien pour choisir "
    "le mot de passe »)."
)


class ReplyTextInline(TabularInline):
    fields = ("text", "position")
    extra = 0


class PolitenessFormulaInline(ReplyTextInline):
    model = PolitenessFormula


class SignatureInline(ReplyTextInline):
    model = Signature


class MembershipInline(TabularInline):
    model = Membership
    fields = ("structure", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("structure",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("structure")


@admin.register(User)
class UserAdmin(ProjectAdminMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        (
            "Rôle et droits",
            {"fields": ("is_active", "is_staff", "is_moderator", "is_superuser", "groups", "user_permissions")},
        ),
        ("Notifications", {"fields": ("receives_digest",)}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_moderator",
        "receives_digest",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_moderator", "is_superuser", "is_active", "receives_digest", "groups")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"
    inlines = (MembershipInline, PolitenessFormulaInline, SignatureInline)
    actions = ("send_password_reset",)

    def get_inlines(self, request, obj):
        # The add page only asks for the e-mail and password; the rest is edited once the user exists.
        return self.inlines if obj else ()

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("email", "first_name", "last_name")}),)
        # The password's hash and the link to Django's « set password » form give way to a notice.
        return ((None, {"fields": ("email", "password_notice")}),) + self.fieldsets[1:]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else (*readonly, *PRIVILEGE_FIELDS, "password_notice")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = AccountCreationForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not services.may_manage_account(request.user, obj):
            return False  # the page stays readable, nothing on it can be saved
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description="mot de passe")
    def password_notice(self, obj: User) -> str:
        state = "Défini." if obj.has_usable_password() else "Pas encore choisi."
        return f"{state} {PASSWORD_BY_EMAIL}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password():
            services.send_first_login_link(obj)
            self.message_user(request, f"Un lien pour choisir son mot de passe a été envoyé à {obj.email}.")

    @admin.action(description="Envoyer un lien pour choisir le mot de passe", permissions=["change"])
    def send_password_reset(self, request, queryset):
        sent = [user for user in queryset if services.request_password_reset(user=user, by=request.user)]
        if sent:
            self.message_user(request, f"Lien envoyé à {len(sent)} utilisateur(s).", messages.SUCCESS)
        if len(sent) < len(queryset):
            self.message_user(
                request,
                "Aucun lien pour les comptes désactivés ni, sauf pour un superutilisateur, pour les comptes "
                "ayant accès à l'administration.",
                messages.WARNING,
            )


class UserTextAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Shared list of an agent's formulas or signatures."""

    feminine = True
    list_display = ("__str__", "user", "position")
    list_select_related = ("user",)
    search_fields = ("text", "user__email")
    autocomplete_fields = ("user",)
    ordering = ("user__email", "position", "pk")


@admin.register(PolitenessFormula)
class PolitenessFormulaAdmin(UserTextAdmin):
    pass


@admin.register(Signature)
class SignatureAdmin(UserTextAdmin):
    pass
