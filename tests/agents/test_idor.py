"""Guessed ids in /agents/: out of scope is a 404 and changes nothing; the author's e-mail shows on no page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ImprovementAction
from experiences.models import Assignment, Comment, ModerationState, Response, ResponseState
from structures.models import Structure
from tests import factories as f
from tests.agents.test_permission_matrix import STEPS, experience_state

pytestmark = pytest.mark.django_db

LOGIN = "/agents/connexion/"
SECRET_EMAIL = "auteur.secret@example.org"
SECRET_COMMENT = "Note confidentielle de la direction voisine"
BODY = "Merci pour votre retour : nous avons revu l'organisation de l'accueil."

# Every POST of the experience page; all but the last two name the routing they act for.
ROUTED_STEPS = [
    "write_response",
    "validate_response",
    "send_back_response",
    "unpublish_response",
    "modify_response",
    "adopt_response",
    "qualify",
    "move",
    "transfer",
]
EXPERIENCE_STEPS = [*ROUTED_STEPS, "comment", "link_action"]
# The matrix's steps that take a `routing`, with what each needs to succeed.
ROUTED_ACTIONS = [action for action, step in STEPS.items() if step.url_name in ROUTED_STEPS]


def experience_url(name: str, experience) -> str:
    return reverse(f"agents:{name}", args=[experience.public_id])


def full_payload(assignment: Assignment, tree: dict, **extra) -> dict:
    """What a browser could send to any step, naming `assignment`: valid wherever the scope allows."""
    pk = assignment.pk
    child = f.StructureFactory(parent=Structure.objects.get(pk=assignment.structure_id))
    return {
        "routing": pk,
        f"r{pk}-body": BODY,
        "step": "publish",
        f"m{pk}-body": BODY + " Précision.",
        f"m{pk}-notify_author": "on",
        f"q{pk}-needs_improvement": "on",
        f"q{pk}-tag_relation": "negative",
        f"d{pk}-child": child.pk,
        f"t{pk}-to_structure": tree["root"].code,
        f"t{pk}-reason": "Cette expérience concerne la direction nationale.",
        "reason": "Ajoutez les horaires.",
        "body": "Je transmets au service concerné.",
        **extra,
    }


def routed_to(structure, **experience_fields) -> Assignment:
    experience = f.ExperienceFactory(author_email=SECRET_EMAIL, **experience_fields)
    return f.AssignmentFactory(experience=experience, structure=structure)


def action_pages(action: ImprovementAction) -> list[str]:
    return [
        reverse("agents:actions"),
        reverse("agents:action_create"),
        reverse("agents:action_edit", args=[action.pk]),
        reverse("agents:action_publish", args=[action.pk]),
    ]


def every_page(experience, action: ImprovementAction) -> list[tuple[str, str]]:
    """(method, path) of every agent page over experiences and improvement actions."""
    gets = [reverse("agents:experiences"), experience_url("experience", experience), *action_pages(action)]
    posts = [experience_url(name, experience) for name in EXPERIENCE_STEPS] + action_pages(action)[1:]
    return [("get", path) for path in gets] + [("post", path) for path in posts]


# An experience routed only to a structure out of the scope


@pytest.mark.parametrize("name", ["experience", *EXPERIENCE_STEPS])
@pytest.mark.parametrize("elsewhere", ["sibling", "foreign"])
def test_agent_cannot_reach_experience_routed_elsewhere_when_guessing_its_id(
    client, structure_tree, super_agent, elsewhere, name
):
    assignment = routed_to(structure_tree[elsewhere])
    f.ResponseFactory(assignment=assignment)
    f.CommentFactory(experience=assignment.experience, body=SECRET_COMMENT)
    mine_action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    data = full_payload(assignment, structure_tree, action=mine_action.pk)
    before = experience_state(assignment.experience)
    client.force_login(super_agent)

    if name == "experience":
        page = client.get(experience_url(name, assignment.experience))
    else:
        page = client.post(experience_url(name, assignment.experience), data)

    assert page.status_code == 404
    assert SECRET_COMMENT not in page.content.decode()
    assert experience_state(assignment.experience) == before


@pytest.mark.parametrize("elsewhere", ["sibling", "foreign"])
def test_agent_list_never_shows_experience_routed_elsewhere(client, structure_tree, agent, elsewhere):
    hidden = routed_to(structure_tree[elsewhere], title="Guichet de la direction voisine").experience
    routed_to(structure_tree["mine"], title="Guichet de ma direction")
    client.force_login(agent)

    pages = [client.get(reverse("agents:experiences"), query) for query in ({}, {"q": "Guichet"}, {"tri": "anciennes"})]

    for page in pages:
        assert page.status_code == 200
        assert "Guichet de ma direction" in page.content.decode()
        assert hidden.title not in page.content.decode()
        assert str(hidden.public_id) not in page.content.decode()


# A routing or a response of another structure, named in the form


@pytest.mark.parametrize("action", ROUTED_ACTIONS)
def test_agent_cannot_act_for_another_structures_routing_of_a_shared_experience(
    client, structure_tree, super_agent, action
):
    experience = routed_to(structure_tree["mine"]).experience
    theirs = f.AssignmentFactory(experience=experience, structure=structure_tree["foreign"])
    step, arranged = STEPS[action], {"tree": structure_tree}
    data = {"routing": theirs.pk, **step.arrange(theirs, arranged)}
    before = experience_state(experience)
    client.force_login(super_agent)

    page = client.post(experience_url(step.url_name, experience), data)

    assert page.status_code == 404
    assert not step.done(theirs, arranged)
    assert experience_state(experience) == before


@pytest.mark.parametrize("action", ROUTED_ACTIONS)
def test_agent_cannot_name_a_routing_of_another_experience_even_in_scope(client, structure_tree, super_agent, action):
    target = routed_to(structure_tree["mine"]).experience
    other = routed_to(structure_tree["mine"])
    step, arranged = STEPS[action], {"tree": structure_tree}
    data = {"routing": other.pk, **step.arrange(other, arranged)}
    before = experience_state(target), experience_state(other.experience)
    client.force_login(super_agent)

    page = client.post(experience_url(step.url_name, target), data)

    assert page.status_code == 404
    assert not step.done(other, arranged)
    assert (experience_state(target), experience_state(other.experience)) == before


@pytest.mark.parametrize(
    ("routing", "statuses"),
    [("", {404}), ("0", {404}), ("999999999", {404}), ("abc", {400, 404}), ("1.5", {400, 404})],
    ids=["empty", "zero", "unknown", "letters", "decimal"],
)
@pytest.mark.parametrize("name", ROUTED_STEPS)
def test_agent_cannot_act_with_a_missing_or_malformed_routing(
    client, structure_tree, super_agent, name, routing, statuses
):
    assignment = routed_to(structure_tree["mine"])
    data = {**full_payload(assignment, structure_tree), "routing": routing}
    before = experience_state(assignment.experience)
    client.force_login(super_agent)

    page = client.post(experience_url(name, assignment.experience), data)

    assert page.status_code in statuses
    assert experience_state(assignment.experience) == before


def _source_of_another_experience(tree, mine):
    return f.ResponseFactory(assignment=routed_to(tree["foreign"]))


def _source_of_another_experience_in_scope(tree, mine):
    return f.ResponseFactory(assignment=routed_to(tree["child"]))


def _draft_of_another_structure(tree, mine):
    theirs = f.AssignmentFactory(experience=mine.experience, structure=tree["foreign"])
    return f.ResponseFactory(assignment=theirs, state=ResponseState.DRAFT, published_at=None)


@pytest.mark.parametrize(
    "make_source",
    [_source_of_another_experience, _source_of_another_experience_in_scope, _draft_of_another_structure],
    ids=["published_answer_to_a_hidden_experience", "published_answer_to_my_other_experience", "draft_of_a_co_routed"],
)
def test_agent_cannot_adopt_an_answer_that_is_not_adoptable_here(client, structure_tree, super_agent, make_source):
    mine = routed_to(structure_tree["mine"])
    source = make_source(structure_tree, mine)
    before = experience_state(mine.experience), experience_state(source.assignment.experience)
    client.force_login(super_agent)

    page = client.post(experience_url("adopt_response", mine.experience), {"routing": mine.pk, "source": source.pk})

    assert page.status_code in (302, 404)
    assert not Response.objects.filter(assignment=mine).exists()
    assert (experience_state(mine.experience), experience_state(source.assignment.experience)) == before


@pytest.mark.parametrize(
    ("source", "statuses"), [("", {404}), ("0", {404}), ("abc", {400, 404})], ids=["empty", "zero", "letters"]
)
def test_agent_cannot_adopt_a_missing_or_malformed_source(client, structure_tree, super_agent, source, statuses):
    mine = routed_to(structure_tree["mine"])
    client.force_login(super_agent)

    page = client.post(experience_url("adopt_response", mine.experience), {"routing": mine.pk, "source": source})

    assert page.status_code in statuses
    assert not Response.objects.filter(assignment=mine).exists()


def test_agent_cannot_link_an_action_of_another_structure(client, structure_tree, super_agent):
    mine = routed_to(structure_tree["mine"])
    theirs = f.ImprovementActionFactory(structure=structure_tree["sibling"])
    client.force_login(super_agent)

    page = client.post(experience_url("link_action", mine.experience), {"action": theirs.pk})

    assert page.status_code in (302, 400, 404)
    assert not theirs.experiences.exists()


# An experience the DITP has not published


@pytest.mark.parametrize("name", ["experience", *EXPERIENCE_STEPS])
@pytest.mark.parametrize("state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY])
def test_agent_cannot_reach_unpublished_experience_routed_to_mine(client, structure_tree, super_agent, state, name):
    assignment = routed_to(structure_tree["mine"], moderation_state=state, title="Récit pas encore publié")
    mine_action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    data = full_payload(assignment, structure_tree, action=mine_action.pk)
    before = experience_state(assignment.experience)
    client.force_login(super_agent)

    if name == "experience":
        page = client.get(experience_url(name, assignment.experience))
    else:
        page = client.post(experience_url(name, assignment.experience), data)

    assert page.status_code == 404
    assert experience_state(assignment.experience) == before
    assert "Récit pas encore publié" not in client.get(reverse("agents:experiences")).content.decode()


# Comments


def test_comments_of_experience_outside_scope_never_appear(client, structure_tree, agent, sibling_agent):
    hidden = routed_to(structure_tree["sibling"]).experience
    f.CommentFactory(experience=hidden, author=sibling_agent, body=SECRET_COMMENT)
    mine = routed_to(structure_tree["mine"]).experience
    f.CommentFactory(experience=mine, author=agent, body="Je m'en occupe.")
    client.force_login(agent)

    pages = [
        client.get(reverse("agents:experiences")),
        client.get(reverse("agents:experiences"), {"q": "confidentielle"}),
        client.get(experience_url("experience", mine)),
        client.get(experience_url("experience", hidden)),
        client.post(experience_url("comment", mine), {"body": ""}),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 404, 400]
    assert not any(SECRET_COMMENT in page.content.decode() for page in pages)
    assert Comment.objects.filter(experience=hidden).count() == 1


# Who may enter at all


def test_visitor_is_sent_to_sign_in_from_every_agent_page(client, structure_tree):
    assignment = routed_to(structure_tree["mine"])
    action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    before = experience_state(assignment.experience)

    for method, path in every_page(assignment.experience, action):
        page = getattr(client, method)(path, full_payload(assignment, structure_tree) if method == "post" else {})

        assert page.status_code == 302, (method, path)
        assert page["Location"].startswith(f"{LOGIN}?next="), (method, path)
    assert experience_state(assignment.experience) == before
    assert ImprovementAction.objects.count() == 1


def test_signed_in_user_without_membership_gets_the_403_page_everywhere(client, structure_tree):
    assignment = routed_to(structure_tree["mine"])
    action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    before = experience_state(assignment.experience)
    client.force_login(f.UserFactory())

    for method, path in every_page(assignment.experience, action):
        page = getattr(client, method)(path, full_payload(assignment, structure_tree) if method == "post" else {})

        assert page.status_code == 403, (method, path)
        assert "Accès réservé" in page.content.decode(), (method, path)
    assert experience_state(assignment.experience) == before
    assert ImprovementAction.objects.count() == 1


# Improvement actions of another structure


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page_name", ["action_edit", "action_publish"])
@pytest.mark.parametrize("elsewhere", ["sibling", "foreign"])
def test_agent_cannot_reach_action_of_structure_outside_scope(
    client, structure_tree, super_agent, elsewhere, page_name, method
):
    action = f.ImprovementActionFactory(structure=structure_tree[elsewhere], title="Action de la voisine")
    before = ImprovementAction.objects.filter(pk=action.pk).values().get()
    client.force_login(super_agent)
    data = {
        "structure": structure_tree["mine"].code,
        "title": "Reprise",
        "description": "Reprise.",
        "status": "engaged",
    }

    page = getattr(client, method)(reverse(f"agents:{page_name}", args=[action.pk]), data if method == "post" else {})

    assert page.status_code == 404
    assert ImprovementAction.objects.filter(pk=action.pk).values().get() == before
    assert "Action de la voisine" not in client.get(reverse("agents:actions")).content.decode()


@pytest.mark.parametrize("elsewhere", ["sibling", "foreign"])
def test_agent_cannot_create_action_for_or_linked_to_what_is_outside_scope(
    client, structure_tree, super_agent, elsewhere
):
    hidden = routed_to(structure_tree[elsewhere]).experience
    client.force_login(super_agent)
    common = {
        "title": "Horaires affichés",
        "description": "Affichage.",
        "status": "engaged",
        "engaged_on": (timezone.localdate() - datetime.timedelta(days=7)).isoformat(),
    }

    for_elsewhere = client.post(
        reverse("agents:action_create"), {**common, "structure": structure_tree[elsewhere].code}
    )
    linked_elsewhere = client.post(
        reverse("agents:action_create"),
        {**common, "structure": structure_tree["mine"].code, "experiences": str(hidden.public_id)},
    )

    in_scope = client.post(reverse("agents:action_create"), {**common, "structure": structure_tree["mine"].code})

    assert (for_elsewhere.status_code, linked_elsewhere.status_code, in_scope.status_code) == (200, 200, 302)
    assert list(ImprovementAction.objects.values_list("structure", flat=True)) == [structure_tree["mine"].pk]
    assert not hidden.improvement_actions.exists()


# The author's e-mail


@pytest.mark.parametrize("who", ["super_agent", "moderator"])
def test_author_email_appears_on_no_agent_page(client, structure_tree, super_agent, moderator, who):
    user = {"super_agent": super_agent, "moderator": moderator}[who]
    formula = f.PolitenessFormulaFactory(user=user, text="Bien cordialement,")
    mine = routed_to(structure_tree["mine"])
    experience = mine.experience
    theirs = f.AssignmentFactory(experience=experience, structure=structure_tree["foreign"])
    f.ResponseFactory(assignment=theirs)
    f.CommentFactory(experience=experience, body="Premier commentaire.")
    action = f.ImprovementActionFactory(structure=structure_tree["mine"])
    action.experiences.add(experience)
    client.force_login(user)
    seen = []

    def visit(method, path, data=None):
        page = getattr(client, method)(path, data or {}, follow=True)
        seen.append((method, path, page.status_code))
        assert SECRET_EMAIL not in page.content.decode(), (method, path)
        assert "auteur.secret" not in page.content.decode(), (method, path)

    visit("get", reverse("agents:experiences"))
    visit("get", reverse("agents:experiences"), {"q": "renouveler", "etat": "a-traiter"})
    visit("get", experience_url("experience", experience))
    visit("post", experience_url("write_response", experience), {"routing": mine.pk, f"r{mine.pk}-body": ""})
    for name, data in [
        ("write_response", {f"r{mine.pk}-body": BODY, f"r{mine.pk}-formula": formula.pk, "step": "submit"}),
        ("validate_response", {}),
        ("modify_response", {f"m{mine.pk}-body": BODY + " Précision.", f"m{mine.pk}-notify_author": "on"}),
        ("unpublish_response", {}),
        ("qualify", {f"q{mine.pk}-needs_improvement": "on"}),
        ("transfer", {f"t{mine.pk}-to_structure": structure_tree["root"].code, f"t{mine.pk}-reason": "Pas pour nous."}),
        ("comment", {"body": "Second commentaire."}),
        ("link_action", {"action": action.pk}),
    ]:
        visit("post", experience_url(name, experience), {"routing": mine.pk, **data})
    for path in action_pages(action):
        visit("get", path)
    visit("get", reverse("agents:profile"))

    assert all(status in (200, 400) for _, _, status in seen), seen
    if who == "super_agent":
        assert Response.objects.get(assignment=mine).state == ResponseState.UNPUBLISHED


def test_searching_the_author_email_finds_nothing(client, structure_tree, agent):
    experience = routed_to(structure_tree["mine"]).experience
    client.force_login(agent)

    found = client.get(reverse("agents:experiences"), {"q": SECRET_EMAIL})
    everything = client.get(reverse("agents:experiences"))

    assert str(experience.public_id) in everything.content.decode()
    assert str(experience.public_id) not in found.content.decode()
