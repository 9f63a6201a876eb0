"""Who reads a report and its file: moderators, and the agents of the routed structures; 404 for the others."""

import pytest
from django.urls import reverse

from structures.models import Role
from tests import factories as f

from .conftest import OWNER, REPORTER_EMAIL, make_report, pdf_bytes

pytestmark = pytest.mark.django_db


def file_url(report) -> str:
    return reverse("agents:document_report_file", args=[report.pk])


def test_routed_agent_downloads_the_file_as_an_attachment_never_cached(client, agent, routed_report):
    client.force_login(agent)

    response = client.get(file_url(routed_report))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and OWNER.encode() not in body


def test_agent_of_an_ancestor_structure_reads_the_report(client, structure_tree, routed_report):
    client.force_login(f.MembershipFactory(structure=structure_tree["root"], role=Role.SUPER_AGENT).user)

    assert client.get(routed_report.get_agent_url()).status_code == 200
    assert client.get(file_url(routed_report)).status_code == 200


def test_moderator_downloads_the_file(client, moderator, report):
    client.force_login(moderator)

    assert client.get(file_url(report)).status_code == 200


@pytest.mark.parametrize("who", ["sibling_agent", "child_agent"])
def test_agent_outside_the_routed_structures_gets_404(request, client, routed_report, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(routed_report.get_agent_url()).status_code == 404
    assert client.get(file_url(routed_report)).status_code == 404
    listing = client.get(reverse("agents:document_reports"))
    assert routed_report.title not in listing.content.decode()


def test_agent_cannot_read_a_report_still_waiting_for_moderation(client, agent, report):
    client.force_login(agent)

    assert client.get(file_url(report)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_and_gets_no_file(client, routed_report):
    response = client.get(file_url(routed_report))

    assert response.status_code == 302
    assert response.url.startswith(reverse("agents:login"))


def test_file_never_has_a_public_media_url(routed_report):
    with pytest.raises(ValueError, match="pas d'adresse publique"):
        _ = routed_report.file.url


def test_agent_list_shows_routed_reports_without_the_reporter_email(client, agent, routed_report):
    client.force_login(agent)

    response = client.get(reverse("agents:document_reports"))

    content = response.content.decode()
    assert routed_report.title in content
    assert REPORTER_EMAIL not in content
    assert REPORTER_EMAIL not in client.get(routed_report.get_agent_url()).content.decode()


def test_agent_list_queries_do_not_grow_with_its_rows(
    client, agent, structure_tree, moderator, django_assert_max_num_queries
):
    from simplification import services

    routed_to = [structure_tree["mine"], structure_tree["child"]]
    for _ in range(12):
        services.accept_report(report=make_report(document=pdf_bytes()), by=moderator, structures=routed_to)
    client.force_login(agent)

    # Session, user, memberships (access and scope), count, page, routings with their structures.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agents:document_reports"))
    assert response.content.decode().count("/agents/documents-signales/") >= 12
