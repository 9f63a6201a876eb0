"""What a DITP moderator may do in the admin follows from the `is_moderator` flag, not from hand-made groups.

DESIGN.md: moderators run the moderation queue, routing, the structures tree, typologies, tags, users
and roles, transfer requests and the e-mail outbox. They view, add and change; deleting stays with
administrators, except the rows that routing and tagging replace.
"""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

MODERATED_APPS = (
    "accounts",
    "structures",
    "actions",
    "experiences",
    "notifications",
    "diagnostics",
    "transparency",
    "content",
    "panel",
    "simplification",
)
DELETABLE_MODELS = (
    "assignment",
    "experiencetypology",
    "experiencechannel",
    "generaltagvalue",
    "businesstag",
    "membership",
)


def moderator_permissions() -> set[str]:
    granted = Q(codename__startswith="view_") | Q(codename__startswith="add_") | Q(codename__startswith="change_")
    granted |= Q(codename__in=[f"delete_{model}" for model in DELETABLE_MODELS])
    rows = Permission.objects.filter(granted, content_type__app_label__in=MODERATED_APPS).values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


class ModeratorPermissionsBackend(BaseBackend):
    """Grants the moderator permission set to active users flagged `is_moderator`; authenticates no one."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if obj is not None or not (user_obj.is_active and getattr(user_obj, "is_moderator", False)):
            return set()
        if not hasattr(user_obj, "_moderator_perm_cache"):
            user_obj._moderator_perm_cache = moderator_permissions()
        return user_obj._moderator_perm_cache

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
