"""Similar published experiences offered before posting, and the « moi aussi » given from the share form."""

import html

import pytest

from experiences import similar
from experiences.models import Experience, ModerationState
from experiences.similar import similar_experiences
from tests.factories import ExperienceFactory, ExperienceTypologyFactory, TypologyFactory

pytestmark = pytest.mark.django_db

SHARE_URL = "/experiences/partager/"
SIMILAR_URL = "/experiences/partager/semblables/"

STORIES = {
    "apl": (
        "APL suspendue après mon déménagement",
        "Depuis mon déménagement en mars, la caisse a suspendu mes aides au logement. J'ai envoyé trois fois "
        "mon nouveau bail et l'attestation du bailleur, personne ne répond au téléphone et le loyer s'accumule.",
    ),
    "counter": (
        "Accueil désagréable au guichet",
        "L'agent du guichet a refusé de regarder mes justificatifs de ressources et m'a parlé sèchement devant "
        "toute la file d'attente. Je suis reparti sans réponse à ma question sur la prime d'activité.",
    ),
    "quick": (
        "Dossier de prime de naissance traité vite",
        "J'ai déclaré la grossesse en ligne, la prime de naissance est arrivée en trois semaines avec un "
        "courrier clair qui expliquait le calcul. Très satisfaite du service.",
    ),
}
# Another citizen telling the APL story in other words.
SAME_AS_APL = (
    "Aides au logement bloquées depuis que j'ai déménagé",
    "J'ai changé d'appartement et depuis, plus d'aide au logement. Bail envoyé, attestation du bailleur "
    "envoyée, toujours suspendue et impossible d'avoir quelqu'un au téléphone. Mon loyer s'accumule.",
)


@pytest.fixture(autouse=True)
def fresh_frequencies():
    similar.forget_frequencies()
    yield
    similar.forget_frequencies()


@pytest.fixture
def caf():
    return TypologyFactory(name="Caisse d'allocations familiales", keywords="CAF\naide au logement\nAPL")


@pytest.fixture
def stories(caf):
    published = {}
    for key, (title, description) in STORIES.items():
        experience = ExperienceFactory(title=title, description=description)
        ExperienceTypologyFactory(experience=experience, typology=caf)
        published[key] = experience
    return published


def test_the_same_story_in_other_words_is_found_and_other_stories_are_not(caf, stories):
    found = similar_experiences(*SAME_AS_APL, [caf.pk])
    assert [match.experience for match in found] == [stories["apl"]]
    assert found[0].score >= similar.SIMILARITY_THRESHOLD
    assert not found[0].is_answered


def test_an_unrelated_story_finds_nothing(caf, stories):
    title = "Carte grise reçue rapidement"
    description = "Demande de certificat d'immatriculation faite sur internet, carte reçue en cinq jours, parfait."
    assert similar_experiences(title, description, [caf.pk]) == []


def test_only_published_experiences_of_the_same_typology_and_department_are_offered(caf, stories):
    other_typology = TypologyFactory(name="France Travail")
    title, description = STORIES["apl"]
    elsewhere = ExperienceFactory(title=title, description=description)
    ExperienceTypologyFactory(experience=elsewhere, typology=other_typology)
    waiting = ExperienceFactory(title=title, description=description, moderation_state=ModerationState.SUBMITTED)
    ExperienceTypologyFactory(experience=waiting, typology=caf)

    found = [match.experience for match in similar_experiences(*SAME_AS_APL, [caf.pk])]
    assert found == [stories["apl"]]
    assert [m.experience for m in similar_experiences(*SAME_AS_APL, [other_typology.pk])] == [elsewhere]
    # The factories publish in Paris (75): another department has none of them.
    assert similar_experiences(*SAME_AS_APL, [caf.pk], "75") != []
    assert similar_experiences(*SAME_AS_APL, [caf.pk], "13") == []


def test_at_most_three_are_offered_best_first(caf, stories):
    title, description = STORIES["apl"]
    for n in range(5):
        experience = ExperienceFactory(title=title, description=description + " Encore" * n)
        ExperienceTypologyFactory(experience=experience, typology=caf)
    # Six tellings of one story make its words common: the scores drop, so no threshold here.
    found = similar_experiences(*SAME_AS_APL, [caf.pk], threshold=0.0)
    assert len(found) == 3
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def page(response) -> str:
    return html.unescape(response.content.decode())


def share_data(caf, title, description, **extra) -> dict:
    return {
        "title": title,
        "description": description,
        "typologies": [str(caf.pk)],
        "postal_code": "75011",
        "pseudonym": "Lou",
        "email": "lou@example.org",
        **extra,
    }


def test_checking_without_javascript_shows_the_similar_experience_and_keeps_what_was_typed(client, caf, stories):
    response = client.post(SHARE_URL, share_data(caf, *SAME_AS_APL, action="suggest"))
    content = page(response)
    assert response.status_code == 200
    assert stories["apl"].title in content
    assert f'name="me_too" value="{stories["apl"].public_id}"' in content
    assert stories["counter"].title not in content
    assert "lou@example.org" in content  # the citizen's own input, re-shown to them only
    assert Experience.objects.count() == 3  # checking posts nothing


def test_me_too_from_the_share_form_counts_once_per_visitor_and_keeps_the_form(client, caf, stories):
    apl = stories["apl"]
    data = share_data(caf, *SAME_AS_APL, me_too=str(apl.public_id))

    first = client.post(SHARE_URL, data)
    assert first.status_code == 200
    assert "Merci, c'est noté" in page(first)
    assert "Votre « moi aussi » est compté" in page(first)
    assert SAME_AS_APL[0] in page(first)

    again = client.post(SHARE_URL, data)
    assert "Vous avez déjà indiqué" in page(again)
    # The experience page knows the same visitor: its button says the same.
    client.post(f"/experiences/{apl.public_id}/moi-aussi/")
    apl.refresh_from_db()
    assert apl.me_too_count == 1
    assert Experience.objects.count() == 3  # nothing shared


def test_me_too_on_an_unpublished_experience_counts_nothing(client, caf, stories):
    waiting = ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    response = client.post(SHARE_URL, share_data(caf, *SAME_AS_APL, me_too=str(waiting.public_id)))
    assert "n'est plus publiée" in page(response)
    waiting.refresh_from_db()
    assert waiting.me_too_count == 0


def test_live_suggestions_return_the_escaped_cards(client, caf, stories):
    apl = stories["apl"]
    Experience.objects.filter(pk=apl.pk).update(title="APL suspendue <script>alert(1)</script> après déménagement")
    response = client.get(
        SIMILAR_URL,
        {"title": SAME_AS_APL[0], "description": SAME_AS_APL[1], "typologies": caf.pk, "postal_code": "75011"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;" in content and "<script>" not in content
    assert f'value="{apl.public_id}"' in content


def test_live_suggestions_say_so_when_nothing_is_similar(client, caf, stories):
    response = client.get(SIMILAR_URL, {"title": "Carte grise", "description": "Reçue en cinq jours, parfait."})
    assert "Aucune expérience publiée ne semble raconter la même chose" in page(response)
