"""What agents write about an experience: their answers and their internal comments."""

from django.contrib import admin

from ..models import Comment, Response
from .base import BigTableAdmin, excerpt


@admin.register(Response)
class ResponseAdmin(BigTableAdmin):
    feminine = True
    list_display = (
        "__str__",
        "state",
        "author",
        "published_at",
        "visitor_useful_count",
        "visitor_not_useful_count",
    )
    list_select_related = ("assignment__experience", "assignment__structure", "author")
    list_filter = ("state", ("published_at", admin.DateFieldListFilter), "assignment__structure__network")
    search_fields = ("assignment__structure__code",)
    raw_id_fields = ("assignment", "adopted_from")
    autocomplete_fields = ("author", "published_by")
    readonly_fields = ("created_at", "updated_at", "visitor_useful_count", "visitor_not_useful_count")
    public_id_lookup = "assignment__experience__public_id"


@admin.register(Comment)
class CommentAdmin(BigTableAdmin):
    list_display = ("short_body", "experience", "author", "structure", "created_at")
    list_select_related = ("experience", "author", "structure")
    list_filter = (("created_at", admin.DateFieldListFilter),)
    search_fields = ("author__email",)
    autocomplete_fields = ("experience", "author", "structure")
    readonly_fields = ("created_at",)

    @admin.display(description="commentaire")
    def short_body(self, obj: Comment) -> str:
        return excerpt(obj.body)
