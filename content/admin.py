"""Moderators write advice and news in the admin."""

from django.contrib import admin
from django.utils import timezone

from common.admin import ProjectAdminMixin
from content.models import Advice, NewsArticle


@admin.register(Advice)
class AdviceAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ("title", "theme", "is_published", "updated_at")
    list_filter = ("theme", "is_published")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("networks", "typologies")
    fields = ("title", "slug", "summary", "body", "theme", "networks", "typologies", "sources", "is_published")

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(NewsArticle)
class NewsArticleAdmin(ProjectAdminMixin, admin.ModelAdmin):
    feminine = True
    list_display = ("title", "published_at")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "summary", "body", "image", "image_alt", "published_at")
