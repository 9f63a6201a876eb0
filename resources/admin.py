"""The DITP manages the agents' resources, themes and FAQ in the admin."""

from django.contrib import admin

from common.admin import ProjectAdminMixin

from .models import FaqEntry, Resource, Theme


@admin.register(Theme)
class ThemeAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Resource)
class ResourceAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("title", "kind", "is_published", "updated_at")
    list_filter = ("kind", "is_published", "themes")
    search_fields = ("title", "summary")
    filter_horizontal = ("themes", "networks")
    fields = ("kind", "title", "summary", "body", "file", "themes", "networks", "is_published")


@admin.register(FaqEntry)
class FaqEntryAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("question", "theme", "position", "is_published")
    list_filter = ("theme", "is_published")
    list_editable = ("position",)
    list_select_related = ("theme",)
    search_fields = ("question", "answer")
