"""Issue 20's pages in a browser with axe: a structure's 12 months beside its siblings, a network's page, an
action's measured effect, the referents' targets form, and the agents' list filtered « en retard »."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from actions.models import ImprovementActionStatus
from experiences.models import Feeling, ResponseStatus
from structures.models import ResponseTarget, Role
from tests import factories as f
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"
HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)


def routed(structure, age, feeling=Feeling.POSITIVE, answered_after=None):
    assignment = f.AssignmentFactory(
        structure=structure,
        experience__published_at=timezone.now() - age,
        experience__feeling=feeling,
        response_status=ResponseStatus.ANSWERED if answered_after else ResponseStatus.AWAITING,
    )
    if answered_after:
        assignment.first_response_at = assignment.published_at + answered_after
        assignment.save()
    return assignment


@pytest.fixture
def family(live_server):
    parent = f.StructureFactory(code="DRFIP-69", name="Direction régionale des finances publiques")
    typology = f.TypologyFactory(network=parent.network, name="Service des impôts des particuliers")
    mine = f.StructureFactory(parent=parent, code="SIP-LYON3", name="SIP Lyon 3e", typology=typology)
    siblings = [
        f.StructureFactory(parent=parent, name=f"SIP {name}", typology=typology) for name in ("Caluire", "Vaise")
    ]
    for month in range(12):
        for structure in (mine, *siblings):
            routed(structure, (30 * month + 3) * DAY, Feeling.NEGATIVE if month % 3 else Feeling.POSITIVE, 20 * HOUR)
    action = f.ImprovementActionFactory(
        structure=mine,
        title="Rappel sous 48 heures",
        engaged_on=timezone.localdate() - 120 * DAY,
        done_on=timezone.localdate() - 90 * DAY,
        status=ImprovementActionStatus.DONE,
        is_public=True,
        published_at=timezone.now(),
    )
    return {"parent": parent, "mine": mine, "action": action}


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/structures/SIP-LYON3/", "SIP Lyon 3e"),
        ("network", None),
        ("action", "Rappel sous 48 heures"),
    ],
)
def test_public_target_pages_have_no_blocking_accessibility_violation(page: Page, live_server, family, path, heading):
    if path == "network":
        path, heading = f"/reseaux/{family['mine'].network_id}/", f"Réseau {family['mine'].network.name}"
    elif path == "action":
        path = f"/actions-amelioration/{family['action'].pk}/effet/"
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert blocking_violations(page) == []


def test_structure_page_shows_its_months_beside_the_siblings_median(page: Page, live_server, family):
    page.goto(live_server.url + "/structures/SIP-LYON3/")

    expect(page.get_by_role("heading", name="Le suivi sur 12 mois")).to_be_visible()
    expect(page.get_by_role("table", name="Comparée aux structures sœurs, sur 12 mois")).to_contain_text("SIP Caluire")
    expect(page.locator("#scorecard-months")).to_contain_text("Sœurs : taux de réponse (médiane)")


def sign_in(page: Page, live_server, user) -> None:
    page.goto(live_server.url + "/agents/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_referent_tightens_a_subtree_target_with_the_keyboard(page: Page, live_server, family):
    referent = f.MembershipFactory(structure=family["parent"], role=Role.REFERENT).user
    sign_in(page, live_server, referent)
    page.goto(live_server.url + "/agents/delais-cibles/")
    assert blocking_violations(page) == []

    page.get_by_label("Code SP+ de la structure (facultatif)").focus()
    page.keyboard.type("SIP-LYON3")
    page.keyboard.press("Tab")
    page.keyboard.type("48")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Le délai cible est enregistré")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("SIP Lyon 3e (SIP-LYON3) et sa descendance")
    assert ResponseTarget.objects.get(structure=family["mine"]).hours == 48
    assert blocking_violations(page) == []


def test_agent_filters_what_is_late_and_sees_the_clock(page: Page, live_server, family):
    agent = f.MembershipFactory(structure=family["mine"], role=Role.AGENT).user
    late = routed(family["mine"], 80 * HOUR)
    sign_in(page, live_server, agent)

    page.locator("label[for=id_retard]").click()  # DSFR draws the box on the label
    page.get_by_label("Trier par").select_option("echeance")
    page.get_by_role("button", name="Filtrer").click()

    expect(page.get_by_role("heading", name="1 expérience")).to_be_visible()
    expect(page.get_by_role("link", name=late.experience.title)).to_be_visible()
    expect(page.get_by_text("délai cible dépassé de 8 heures")).to_be_visible()
    assert blocking_violations(page) == []


def test_agent_names_the_tags_an_action_aims_at_and_reads_its_effect(page: Page, live_server, family):
    agent = f.MembershipFactory(structure=family["mine"], role=Role.AGENT).user
    sign_in(page, live_server, agent)
    page.goto(live_server.url + f"/agents/actions/{family['action'].pk}/")
    expect(page.get_by_role("heading", name="L'effet mesuré de cette action")).to_be_visible()
    assert blocking_violations(page) == []

    page.locator("label[for=id_general_tags_2]").click()  # DSFR draws the box on the label: « Relation »
    page.get_by_role("button", name="Enregistrer les modifications").click()

    expect(page.get_by_text("Les modifications de l'action sont enregistrées.")).to_be_visible()
    expect(page.get_by_text("portant le tag Relation")).to_be_visible()
    family["action"].refresh_from_db()
    assert family["action"].general_tags == ["relation"]
