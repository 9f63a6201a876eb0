"""The reception-desk poster of a structure, for its agents (and the DITP)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.access import member_required
from structures.permissions import structures_visible_to

from ..poster import poster_pdf


@require_GET
@member_required
def structure_poster(request: HttpRequest, code: str) -> HttpResponse:
    structure = get_object_or_404(structures_visible_to(request.user).select_related("network"), code=code)
    response = HttpResponse(poster_pdf(structure), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"affiche-resultats-{structure.code}.pdf")
    return response
