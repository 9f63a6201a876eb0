"""The answer's formula and signature through the pages: chosen by id, and an answer's own texts stay selectable."""

import pytest
from django.urls import reverse

from experiences.forms.answers import CURRENT_TEXT
from experiences.models import ResponseState
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULA = "Nous restons à votre disposition.\nBien cordialement,"
SIGNATURE = "Camille Martin\nDirection départementale"


def post(client, experience, name, data):
    return client.post(reverse(f"agents:{name}", args=[experience.public_id]), data)


def answer_form(form: str, routing: int, body: str, formula, signature, **extra) -> dict:
    """What an answer form of the page posts: `form` is its prefix (r: write, m: modify a published one)."""
    prefix = f"{form}{routing}-"
    return {
        "routing": routing,
        prefix + "body": body,
        prefix + "formula": formula,
        prefix + "signature": signature,
        **extra,
    }


@pytest.fixture
def colleagues_draft(client, agent, structure_tree):
    """A draft the agent wrote through the page with a formula and a signature of their own profile."""
    formula = f.PolitenessFormulaFactory(user=agent, text=FORMULA)
    signature = f.SignatureFactory(user=agent, text=SIGNATURE)
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])
    client.force_login(agent)
    data = answer_form(
        "r", assignment.pk, "Merci, nous avons revu nos horaires.", formula.pk, signature.pk, step="draft"
    )
    assert post(client, assignment.experience, "write_response", data).status_code == 302
    client.logout()
    return assignment


def test_super_agent_sees_a_colleagues_formula_and_signature_selected(client, super_agent, colleagues_draft):
    f.SignatureFactory(user=super_agent, text="Le chef de service")
    client.force_login(super_agent)
    page = client.get(reverse("agents:experience", args=[colleagues_draft.experience.public_id]))
    form = page.context["workspaces"][0]["response_form"]
    assert form["formula"].value() == form["signature"].value() == CURRENT_TEXT
    assert [label for _, label in form.fields["signature"].choices] == [
        "Sans signature",
        f"{SIGNATURE} (texte actuel de la réponse)",
        "Le chef de service",
    ]


def test_super_agent_publishes_a_colleagues_draft_keeping_its_formula_and_signature(
    client, agent, super_agent, colleagues_draft
):
    client.force_login(super_agent)
    body = "Merci, nous avons revu nos horaires d'ouverture."
    data = answer_form("r", colleagues_draft.pk, body, CURRENT_TEXT, CURRENT_TEXT, step="publish")
    assert post(client, colleagues_draft.experience, "write_response", data).status_code == 302
    response = colleagues_draft.response
    response.refresh_from_db()
    assert response.state == ResponseState.PUBLISHED
    assert (response.formula, response.signature) == (FORMULA, SIGNATURE)


def test_super_agent_corrects_a_published_answer_keeping_its_formula_and_signature(
    client, agent, super_agent, structure_tree
):
    answer = f.ResponseFactory(
        assignment__structure=structure_tree["mine"],
        author=agent,
        formula=FORMULA,
        signature=SIGNATURE,
        state=ResponseState.PUBLISHED,
        published_at="2026-11-02T10:00:00+01:00",
    )
    client.force_login(super_agent)
    data = answer_form(
        "m", answer.assignment_id, "Merci, nos horaires ont changé le 1er décembre.", CURRENT_TEXT, CURRENT_TEXT
    )
    assert post(client, answer.assignment.experience, "modify_response", data).status_code == 302
    answer.refresh_from_db()
    assert answer.body == "Merci, nos horaires ont changé le 1er décembre."
    assert (answer.formula, answer.signature) == (FORMULA, SIGNATURE)


def test_agent_can_drop_the_signature_of_their_draft(client, agent, colleagues_draft):
    client.force_login(agent)
    page = client.get(reverse("agents:experience", args=[colleagues_draft.experience.public_id]))
    # Their own profile holds the texts: the profile's entries are selected, not a second copy.
    form = page.context["workspaces"][0]["response_form"]
    assert CURRENT_TEXT not in dict(form.fields["signature"].choices)
    data = answer_form("r", colleagues_draft.pk, "Merci.", form["formula"].value(), "", step="draft")
    assert post(client, colleagues_draft.experience, "write_response", data).status_code == 302
    colleagues_draft.response.refresh_from_db()
    assert (colleagues_draft.response.formula, colleagues_draft.response.signature) == (FORMULA, "")


def positions(content: str, *texts: str) -> list[int]:
    return [content.index(text) for text in texts]


def test_back_office_shows_the_formula_after_the_answer_as_the_public_page_does(client, super_agent, structure_tree):
    answer = f.ResponseFactory(
        assignment__structure=structure_tree["mine"],
        body="Le corps de la réponse.",
        formula="La formule de fin.",
        signature="La signature.",
        state=ResponseState.PUBLISHED,
        published_at="2026-11-02T10:00:00+01:00",
    )
    client.force_login(super_agent)
    public = client.get(answer.assignment.experience.get_absolute_url()).content.decode()
    agents = client.get(reverse("agents:experience", args=[answer.assignment.experience.public_id]))
    preview = agents.content.decode()
    order = positions(public, "Le corps de la réponse.", "La formule de fin.", "La signature.")
    assert order == sorted(order)
    order = positions(preview, "Le corps de la réponse.", "La formule de fin.", "La signature.")
    assert order == sorted(order)
    # The correction form lists its fields in that order too.
    modify = preview[preview.index("Modifier la réponse publiée") :]
    order = positions(modify, "Votre réponse", "Formule de politesse", "Signature")
    assert order == sorted(order)


def test_writing_form_asks_for_the_answer_before_the_formula(client, agent, structure_tree):
    assignment = f.AssignmentFactory(structure=structure_tree["mine"])
    client.force_login(agent)
    page = client.get(reverse("agents:experience", args=[assignment.experience.public_id])).content.decode()
    form = page[page.index("Rédiger la réponse de") :]
    order = positions(form, "Votre réponse", "Formule de politesse", "Signature", "Enregistrer le brouillon")
    assert order == sorted(order)
