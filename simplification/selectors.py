"""Read queries over reports: what an agent may see, scoped by the permission module."""

from django.db.models import Prefetch

from .models import ComplexDocumentReport, ReportRouting


def reports_for_agent(user):
    """The reports routed to the user's structures (all for moderators), newest first, with what lists show."""
    routings = Prefetch("routings", queryset=ReportRouting.objects.select_related("structure"))
    return (
        ComplexDocumentReport.objects.visible_to(user)
        .select_related("typology")
        .prefetch_related(routings)
        .order_by("-submitted_at", "-pk")
    )


def pagination(page) -> dict:
    """What templates/experiences/_list_pagination.html reads."""
    paginator = page.paginator
    return {
        "page_obj": page,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
