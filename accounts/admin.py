"""Admin for users (e-mail login), their politeness formulas, signatures and memberships; the site's titles."""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from structures.models import Membership

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
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data["email"], self.instance)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data["email"], self.instance)


class PolitenessFormulaInline(admin.TabularInline):
    model = PolitenessFormula
    fields = ("text", "position")
    extra = 0


class SignatureInline(admin.TabularInline):
    model = Signature
    fields = ("text", "position")
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("structure", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("structure",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("structure")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
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

    def get_inlines(self, request, obj):
        # The add page only asks for the e-mail and password; the rest is edited once the user exists.
        return self.inlines if obj else ()


class UserTextAdmin(admin.ModelAdmin):
    """Shared list of an agent's formulas or signatures."""

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
