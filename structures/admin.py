"""Admin for territories, networks, typologies, business tags, the structure tree and memberships."""

from django.contrib import admin
from mptt.admin import MPTTModelAdmin

from common.admin import ProjectAdminMixin, ReadOnlyAdmin, TabularInline

from .models import (
    BusinessTag,
    Department,
    Membership,
    MembershipChange,
    Network,
    Region,
    ResponseTarget,
    Structure,
    Typology,
)


@admin.register(Region)
class RegionAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("code", "name")
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(Department)
class DepartmentAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_select_related = ("region",)
    list_filter = ("region",)
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(Network)
class NetworkAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    ordering = ("name",)


@admin.register(Typology)
class TypologyAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("code", "name", "network")
    list_select_related = ("network",)
    list_filter = ("network",)
    search_fields = ("code", "name")
    ordering = ("name",)


@admin.register(BusinessTag)
class BusinessTagAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("name", "network", "is_active")
    list_select_related = ("network",)
    list_filter = ("network", "is_active")
    search_fields = ("name", "network__name")
    ordering = ("network__name", "name")


class LevelFilter(admin.AllValuesFieldListFilter):
    """mptt's `level` field has an English verbose name; the filter speaks French."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "niveau dans l'arbre"


class StructureMembershipInline(TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "structure")


@admin.register(Structure)
class StructureAdmin(ProjectAdminMixin, MPTTModelAdmin):
    """The 14,763-row tree: mptt's plain admin indents each row by its level and stays paginated.

    DraggableMPTTAdmin is not used: it needs whole subtrees on one page (2,000 rows by default).
    """

    feminine = True
    list_display = ("name", "code", "network", "typology", "insee_department", "is_active")
    list_select_related = ("network", "typology")
    list_filter = ("network", "is_active", ("level", LevelFilter))
    search_fields = ("code", "name", "public_name")
    autocomplete_fields = ("typology", "parent")
    list_per_page = 100
    mptt_level_indent = 20
    fieldsets = (
        (None, {"fields": ("code", "name", "public_name", "description", "is_active")}),
        ("Place dans le référentiel", {"fields": ("network", "parent", "typology")}),
        ("Identifiants", {"fields": ("external_id", "external_id_type", "tracking_key")}),
        ("Adresse", {"fields": ("address", "address_complement", "postal_code", "city", "country")}),
        (
            "Territoire",
            {
                "fields": (
                    "insee_commune",
                    "insee_department",
                    "insee_region",
                    "insee_arrondissement",
                    "served_postal_codes",
                    "served_departments",
                )
            },
        ),
        ("Contact", {"fields": ("website", "mailbox")}),
    )
    inlines = (StructureMembershipInline,)


@admin.register(Membership)
class MembershipAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("user", "role", "structure", "created_at")
    list_select_related = ("user", "structure")
    list_filter = ("role", "structure__network")
    search_fields = ("user__email", "user__last_name", "structure__code", "structure__name")
    autocomplete_fields = ("user", "structure")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyAdmin):
    """The referents' changes of memberships, read-only: an audit trail is never edited."""

    list_display = ("changed_at", "kind", "member_email", "role", "structure_code", "changed_by")
    list_filter = ("kind", "role")
    list_select_related = ("changed_by",)
    search_fields = ("member_email", "structure_code")
    date_hierarchy = "changed_at"
    fields = readonly_fields = (
        "kind",
        "structure",
        "structure_code",
        "member",
        "member_email",
        "role",
        "changed_by",
        "changed_at",
    )


@admin.register(ResponseTarget)
class ResponseTargetAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Read only: a target is set on /agents/delais-cibles/, whose service moves the waiting routings' due times."""

    list_display = ("network", "structure", "hours", "set_by", "set_at")
    list_select_related = ("network", "structure", "set_by")
    list_filter = ("network",)
    ordering = ("network__name", "structure__name")
    raw_id_fields = ("structure", "set_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
