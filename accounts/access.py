"""Who may enter the agents' back-office: every /agents/ page but the sign-in ones is behind `member_required`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from structures.permissions import is_member


def member_required(view):
    """Signed-in members of a structure and DITP moderators; others sign in, or learn why they cannot enter."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("agents:login"))
        if not is_member(request.user):
            return render(request, "agents/not_member.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
