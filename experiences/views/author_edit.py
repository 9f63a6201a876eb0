"""The author corrects their experience from the link a moderator's request sent them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from common.exceptions import Refused
from experiences import author_links
from experiences.forms.author import AuthorEditForm
from experiences.models import ModerationAction, ModerationState
from experiences.services.moderation import resubmit_experience
from experiences.services.submission import clean_line, clean_text


def edit(request: HttpRequest, token: str) -> HttpResponse:
    try:
        experience = author_links.read_author_edit_token(token)
    except author_links.AuthorLinkExpired:
        days = author_links.AUTHOR_EDIT_MAX_AGE.days
        return render(request, "experiences/author_edit/expired.html", {"days": days}, status=410)
    except author_links.AuthorLinkInvalid:
        return render(request, "experiences/author_edit/invalid.html", status=400)
    if experience.moderation_state != ModerationState.TO_MODIFY:
        done = experience.moderation_state == ModerationState.SUBMITTED and request.GET.get("envoye")
        template = "experiences/author_edit/done.html" if done else "experiences/author_edit/used.html"
        return render(request, template, {"experience": experience})
    request_message = (
        experience.moderation_decisions.filter(action=ModerationAction.TO_MODIFY).order_by("-decided_at").first()
    )
    form = AuthorEditForm(
        request.POST or None, initial={"title": experience.title, "description": experience.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            resubmit_experience(
                experience=experience,
                title=clean_line(form.cleaned_data["title"]),
                description=clean_text(form.cleaned_data["description"]),
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            return redirect(f"{request.path}?envoye=1")
    context = {"experience": experience, "form": form, "request_message": request_message}
    return render(request, "experiences/author_edit/edit.html", context, status=400 if form.errors else 200)
