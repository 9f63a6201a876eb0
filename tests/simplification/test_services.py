"""A report's life: each state tells the reporter by e-mail through the outbox; only moderators decide."""

import pytest

from common.exceptions import Refused
from notifications.models import OutboxEmail
from simplification import services
from simplification.models import ReportAction, ReportState

from .conftest import REPORTER_EMAIL, make_report

pytestmark = pytest.mark.django_db


def emails_to_reporter() -> list[str]:
    return list(OutboxEmail.objects.filter(to=REPORTER_EMAIL).order_by("pk").values_list("kind", flat=True))


def test_reporter_is_told_at_each_state_up_to_simplified(report, structure_tree, moderator):
    services.accept_report(report=report, by=moderator, structures=[structure_tree["mine"]])
    services.mark_simplified(report=report, by=moderator, simplified_version="Vous devez payer 30 € avant le 15 mars.")

    assert emails_to_reporter() == [
        "document_report_received",
        "document_report_in_review",
        "document_report_simplified",
    ]
    simplified = OutboxEmail.objects.get(kind="document_report_simplified")
    assert "Vous devez payer 30 € avant le 15 mars." in simplified.body_text
    assert "/documents-simplifies/" in simplified.body_text


def test_rejected_report_is_closed_with_its_reason_sent_to_the_reporter(report, moderator):
    services.close_report(report=report, by=moderator, reason="Ce document n'émane pas d'une administration.")

    report.refresh_from_db()
    assert report.state == ReportState.CLOSED
    assert emails_to_reporter() == ["document_report_received", "document_report_closed"]
    closed = OutboxEmail.objects.get(kind="document_report_closed")
    assert "sans suite" in closed.subject
    assert "Ce document n'émane pas d'une administration." in closed.body_text


def test_closing_needs_a_reason(report, moderator):
    with pytest.raises(Refused, match="motif"):
        services.close_report(report=report, by=moderator, reason="  ")


def test_double_click_on_a_decision_sends_one_email(routed_report, structure_tree, moderator):
    services.accept_report(report=routed_report, by=moderator, structures=[structure_tree["mine"]])
    services.mark_simplified(report=routed_report, by=moderator)
    services.mark_simplified(report=routed_report, by=moderator)

    assert emails_to_reporter().count("document_report_in_review") == 1
    assert emails_to_reporter().count("document_report_simplified") == 1


def test_accepting_needs_one_to_three_structures(report, structure_tree, moderator):
    with pytest.raises(Refused, match="entre une et trois structures"):
        services.accept_report(report=report, by=moderator, structures=[])


def test_routing_adds_structures_once_and_three_at_most(routed_report, structure_tree, moderator):
    added = services.route_report(
        report=routed_report, by=moderator, structures=[structure_tree["mine"], structure_tree["sibling"]]
    )

    assert added == [structure_tree["sibling"]]
    with pytest.raises(Refused, match="trois structures au plus"):
        services.route_report(
            report=routed_report, by=moderator, structures=[structure_tree["root"], structure_tree["foreign"]]
        )
    assert routed_report.routings.count() == 2


def test_only_a_simplified_document_with_both_texts_is_published(routed_report, moderator):
    with pytest.raises(Refused, match="Seul un document simplifié"):
        services.publish_example(report=routed_report, by=moderator, original_excerpt="a", simplified_version="b")
    services.mark_simplified(report=routed_report, by=moderator)
    with pytest.raises(Refused, match="remplissez"):
        services.publish_example(report=routed_report, by=moderator, original_excerpt="", simplified_version="b")

    services.publish_example(report=routed_report, by=moderator, original_excerpt="Avant", simplified_version="Après")

    routed_report.refresh_from_db()
    assert routed_report.is_published_example and routed_report.published_at
    assert list(routed_report.decisions.values_list("action", flat=True)) == [
        ReportAction.RECEIVED,
        ReportAction.ACCEPTED,
        ReportAction.SIMPLIFIED,
        ReportAction.PUBLISHED,
    ]


@pytest.mark.parametrize("role", ["agent", "super_agent"])
def test_agents_cannot_decide_on_a_report(request, report, structure_tree, role):
    with pytest.raises(Refused, match="équipe de modération"):
        services.accept_report(report=report, by=request.getfixturevalue(role), structures=[structure_tree["mine"]])


def test_personal_data_in_the_text_is_counted_on_submission(db):
    report = make_report(description="Appelez-moi au 06 12 34 56 78 ou écrivez à jean.dupont@example.org, merci.")

    assert report.personal_data_flags == 2


def test_example_with_personal_data_is_not_published(routed_report, moderator):
    services.mark_simplified(report=routed_report, by=moderator)

    with pytest.raises(Refused, match="donnée personnelle"):
        services.publish_example(
            report=routed_report,
            by=moderator,
            original_excerpt="Madame, votre dossier FR76 3000 6000 0112 3456 7890 189 est incomplet.",
            simplified_version="Il manque une pièce à votre dossier.",
        )
    routed_report.refresh_from_db()
    assert not routed_report.is_published_example
