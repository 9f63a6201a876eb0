"""The answer form's buttons are services of their own, and one rule says which answers a structure may adopt."""

import pytest
from django.core import mail
from django.urls import reverse

from common.exceptions import Refused
from experiences.models import Activity, Response, ResponseState, ResponseStatus
from experiences.services import responses
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Merci pour votre retour : nous avons revu l'organisation de l'accueil."


@pytest.fixture
def assignment(structure_tree):
    experience = f.ExperienceFactory(author_email="auteur@example.org")
    return f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])


def test_agent_can_save_and_submit_in_one_step(assignment, agent, super_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = responses.save_and_submit(assignment=assignment, by=agent, body=BODY)
    assignment.refresh_from_db()
    assert response.state == ResponseState.PENDING_VALIDATION and response.body == BODY
    assert assignment.response_status == ResponseStatus.PENDING_VALIDATION
    assert [m.to for m in mail.outbox] == [[super_agent.email]]


def test_super_agent_can_save_and_publish_in_one_step(assignment, super_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = responses.save_and_publish(assignment=assignment, by=super_agent, body=BODY)
    assignment.refresh_from_db()
    assert response.state == ResponseState.PUBLISHED and response.published_by == super_agent
    assert assignment.response_status == ResponseStatus.ANSWERED
    assert [m.to for m in mail.outbox] == [["auteur@example.org"]]


def test_agent_cannot_save_and_publish_and_nothing_is_saved(assignment, agent):
    with pytest.raises(Refused, match="super répondant"):
        responses.save_and_publish(assignment=assignment, by=agent, body=BODY)
    assignment.refresh_from_db()
    assert not Response.objects.filter(assignment=assignment).exists()
    assert assignment.response_status == ResponseStatus.AWAITING
    assert not Activity.objects.filter(experience=assignment.experience).exists()


@pytest.mark.parametrize(
    ("step", "state"),
    [("draft", ResponseState.DRAFT), ("submit", ResponseState.PENDING_VALIDATION), ("", ResponseState.DRAFT)],
    ids=["draft", "submit", "no_step"],
)
def test_agent_can_save_from_the_answer_form(client, assignment, agent, step, state):
    client.force_login(agent)
    url = reverse("agents:write_response", args=[assignment.experience.public_id])
    page = client.post(url, {"routing": assignment.pk, "step": step, f"r{assignment.pk}-body": BODY})
    assert page.status_code == 302
    assert Response.objects.get(assignment=assignment).state == state


def test_agent_cannot_publish_from_the_answer_form_and_nothing_is_saved(client, assignment, agent):
    client.force_login(agent)
    url = reverse("agents:write_response", args=[assignment.experience.public_id])
    page = client.post(url, {"routing": assignment.pk, "step": "publish", f"r{assignment.pk}-body": BODY}, follow=True)
    assert "Seul un super répondant de la structure peut publier." in page.content.decode()
    assert not Response.objects.filter(assignment=assignment).exists()


def co_routed(tree: dict, third: str) -> dict:
    """One experience routed to my structure and to two others: a published answer, and a `third` one."""
    experience = f.ExperienceFactory()
    mine = f.AssignmentFactory(experience=experience, structure=tree["mine"])
    published = f.ResponseFactory(assignment=f.AssignmentFactory(experience=experience, structure=tree["foreign"]))
    other = f.AssignmentFactory(experience=experience, structure=tree["sibling"])
    if third == "draft":
        answer = f.ResponseFactory(assignment=other, state=ResponseState.DRAFT, published_at=None)
    else:
        answer = f.ResponseFactory(assignment=other, adopted_from=published, body="")
    return {"mine": mine, "published": published, third: answer}


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("published", ""),
        ("draft", "Seule une réponse publiée, rédigée par une autre structure, peut être adoptée."),
        ("adopted", "Seule une réponse publiée, rédigée par une autre structure, peut être adoptée."),
        ("elsewhere", "Seule la réponse d'une autre structure à la même expérience peut être adoptée."),
    ],
)
def test_adoption_rule_names_what_a_structure_may_adopt(structure_tree, source, refusal):
    routed = co_routed(structure_tree, "draft" if source == "draft" else "adopted")
    answer = f.ResponseFactory() if source == "elsewhere" else routed[source]
    assert responses.adoption_refusal(routed["mine"], answer) == refusal
    assert responses.may_adopt(routed["mine"], answer) is (refusal == "")


def test_structure_cannot_adopt_its_own_answer(structure_tree):
    routed = co_routed(structure_tree, "draft")
    own = f.ResponseFactory(assignment=routed["mine"])
    assert not responses.may_adopt(routed["mine"], own)


@pytest.mark.parametrize("third", ["draft", "adopted"])
def test_super_agent_page_offers_exactly_the_answers_the_service_accepts(client, structure_tree, super_agent, third):
    routed = co_routed(structure_tree, third)
    client.force_login(super_agent)
    page = client.get(reverse("agents:experience", args=[routed["mine"].experience.public_id]))
    (workspace,) = [w for w in page.context["workspaces"] if w["assignment"].pk == routed["mine"].pk]
    assert [answer.pk for answer in workspace["adoptable"]] == [routed["published"].pk]
    with pytest.raises(Refused):
        responses.adopt_response(assignment=routed["mine"], by=super_agent, source=routed[third])
    adopted = responses.adopt_response(assignment=routed["mine"], by=super_agent, source=routed["published"])
    assert adopted.adopted_from == routed["published"]
