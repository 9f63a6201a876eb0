"""Sharing an experience: the form without JavaScript, its suggestions, its protections and the confirmation."""

import html
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from experiences.models import Channel, Experience, ExperienceChannel, ModerationState
from experiences.suggestions import suggest_typologies
from structures.territories import department_code
from tests.factories import TypologyFactory

pytestmark = pytest.mark.django_db

SHARE_URL = "/experiences/partager/"
DESCRIPTION = (
    "Je suis allé à la préfecture pour renouveler mon titre de séjour. L'agent m'a expliqué chaque pièce "
    "à fournir et j'ai eu un rendez-vous rapidement. Merci pour cet accueil."
)


@pytest.fixture
def prefecture(db):
    return TypologyFactory(name="Préfecture", keywords="préfecture\ntitre de séjour\ncarte grise")


@pytest.fixture
def caf(db):
    return TypologyFactory(name="Caisse d'allocations familiales", keywords="CAF\nallocations familiales\nRSA")


def valid_data(prefecture, **overrides) -> dict:
    data = {
        "title": "Un accueil rapide à la préfecture",
        "description": DESCRIPTION,
        "feeling": "positive",
        "author_type": "concerned",
        "typologies": [str(prefecture.pk)],
        f"channels_{prefecture.pk}": ["desk", "phone"],
        f"feeling_{prefecture.pk}_desk": "positive",
        f"feeling_{prefecture.pk}_phone": "negative",
        "organism_name": "",
        "residence": "france",
        "postal_code": "75011",
        "country": "",
        "pseudonym": "Camille75",
        "email": "camille@example.org",
        "charter": "on",
        "source": "direct",
        "campaign": "",
        "arrival_channel": "",
        "website": "",
        "action": "send",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_messages(response, field_id: str) -> str:
    """The text of the error messages shown right under a field."""
    content = response.content.decode()
    start = content.index(f'id="{field_id}-messages"')
    return html.unescape(content[start : content.index("</div>", start)])


# --- posting a valid experience -------------------------------------------------------------------


def test_citizen_can_share_experience_with_everything_they_typed(client, prefecture):
    data = valid_data(
        prefecture,
        organism_name="  Mairie   de Lyon ",
        channels_autre=["mail"],
        feeling_autre_mail="neutral",
        title="  Un accueil   rapide à la préfecture ",
    )
    response = client.post(SHARE_URL + "?utm_source=ignored", data)

    assert response.status_code == 302
    assert response.url == reverse("experiences:share_done")
    experience = Experience.objects.get()
    assert experience.moderation_state == ModerationState.SUBMITTED
    assert 100_000 <= experience.public_id <= 9_999_999
    assert experience.title == "Un accueil rapide à la préfecture"
    assert experience.description == DESCRIPTION
    assert (experience.feeling, experience.author_type) == ("positive", "concerned")
    assert (experience.pseudonym, experience.author_email) == ("Camille75", "camille@example.org")
    assert (experience.postal_code, experience.department_id, experience.region_id) == ("75011", "75", "11")
    assert experience.country == "FR"
    assert experience.source == "direct"
    first, second = experience.typologies.order_by("position")
    assert (first.position, first.typology, first.organism_name) == (1, prefecture, "")
    assert (second.position, second.typology, second.organism_name) == (2, None, "Mairie de Lyon")
    assert dict(first.channels.values_list("channel", "feeling")) == {"desk": "positive", "phone": "negative"}
    assert dict(second.channels.values_list("channel", "feeling")) == {"mail": "neutral"}
    assert not experience.assignments.exists()


def test_citizen_can_share_with_only_an_organism_name_when_nothing_matches(client, prefecture):
    data = valid_data(prefecture, typologies=[], organism_name="Office du tourisme", channels_autre=["online"])
    assert client.post(SHARE_URL, data).status_code == 302
    service = Experience.objects.get().typologies.get()
    assert (service.typology, service.organism_name) == (None, "Office du tourisme")
    assert list(service.channels.values_list("channel", "feeling")) == [("online", "")]


@pytest.mark.parametrize(
    ("postal_code", "department", "region"),
    [("20090", "2A", "94"), ("20200", "2B", "94"), ("97110", "971", "01"), ("13001", "13", "93")],
)
def test_location_comes_from_the_postal_code(client, prefecture, postal_code, department, region):
    assert client.post(SHARE_URL, valid_data(prefecture, postal_code=postal_code)).status_code == 302
    experience = Experience.objects.get()
    assert (experience.department_id, experience.region_id, experience.postal_code) == (department, region, postal_code)


def test_citizen_abroad_gives_a_country_instead_of_a_postal_code(client, prefecture):
    data = valid_data(prefecture, residence="abroad", postal_code="", country="BE")
    assert client.post(SHARE_URL, data).status_code == 302
    experience = Experience.objects.get()
    assert (experience.country.code, experience.country_insee_code) == ("BE", "99131")
    assert (experience.department, experience.region, experience.postal_code) == (None, None, "")


def test_department_code_of_postal_codes():
    assert [department_code(c) for c in ("01000", "20000", "20190", "20200", "20600", "97400", "98800")] == [
        "01",
        "2A",
        "2A",
        "2B",
        "2B",
        "974",
        "988",
    ]


def test_source_and_campaign_come_from_the_link_and_survive_a_rerender(client, prefecture):
    page = client.get(SHARE_URL + "?utm_source=banniere-caf&utm_campaign=printemps&mtm_medium=qr-code")
    content = page.content.decode()
    assert 'name="source" value="banniere-caf"' in content
    assert 'name="campaign" value="printemps"' in content
    assert 'name="arrival_channel" value="qr-code"' in content

    tracking = {"source": "banniere-caf", "campaign": "printemps", "arrival_channel": "qr-code"}
    rerendered = client.post(SHARE_URL, valid_data(prefecture, charter=None, **tracking))
    assert 'name="source" value="banniere-caf"' in rerendered.content.decode()
    client.post(SHARE_URL, valid_data(prefecture, **tracking))
    experience = Experience.objects.get()
    assert (experience.source, experience.campaign, experience.arrival_channel) == (
        "banniere-caf",
        "printemps",
        "qr-code",
    )


def test_source_parameter_wins_and_defaults_to_direct(client):
    assert 'name="source" value="affiche-mairie"' in client.get(SHARE_URL + "?source=affiche-mairie").content.decode()
    assert 'name="source" value="direct"' in client.get(SHARE_URL).content.decode()


# --- invalid input: a French message next to the field, nothing lost ------------------------------


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": "T" * 231}, "id_title", "Le titre compte au plus 230 caractères (vous en avez saisi 231)."),
        ({"title": ""}, "id_title", "Donnez un titre à votre expérience."),
        ({"description": "Trop court."}, "id_description", "Votre récit compte au moins 100 caractères"),
        ({"description": "x" * 2001}, "id_description", "Votre récit compte au plus 2000 caractères"),
        ({"feeling": None}, "id_feeling", "Indiquez votre ressenti : positif, neutre ou négatif."),
        ({"feeling": "furieux"}, "id_feeling", "Choisissez votre ressenti parmi positif, neutre ou négatif."),
        ({"author_type": None}, "id_author_type", "Indiquez qui partage cette expérience."),
        ({"postal_code": "7501"}, "id_postal_code", "Le code postal compte 5 chiffres, par exemple 75011."),
        ({"postal_code": ""}, "id_postal_code", "Indiquez votre code postal"),
        (
            {"postal_code": "00123"},
            "id_postal_code",
            "Le code postal 00123 ne correspond à aucun département français.",
        ),
        ({"residence": "abroad", "country": ""}, "id_country", "Choisissez votre pays de résidence."),
        ({"charter": None}, "id_charter", "Acceptez la charte de modération pour partager votre expérience."),
        ({"email": "camille@"}, "id_email", "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."),
        ({"pseudonym": ""}, "id_pseudonym", "Choisissez un pseudonyme"),
        ({"typologies": []}, "id_typologies", "Choisissez le service concerné parmi les propositions"),
        ({"typologies": ["999999"]}, "id_typologies", "Ce service n'existe pas"),
    ],
)
def test_invalid_input_gets_its_french_message_next_to_the_field(client, prefecture, overrides, field_id, message):
    data = valid_data(prefecture, **overrides)
    response = client.post(SHARE_URL, data)

    assert response.status_code == 200
    assert not Experience.objects.exists()
    assert message in field_messages(response, field_id)
    content = html.unescape(response.content.decode())
    assert 'id="error-summary"' in content and f'href="#{field_id}"' in content
    # What was typed is still there.
    assert "Un accueil rapide à la préfecture" in content or overrides.get("title") is not None
    assert DESCRIPTION in content or "description" in overrides
    assert 'value="Camille75"' in content or "pseudonym" in overrides
    assert (
        f'name="channels_{prefecture.pk}" value="desk" id="id_channels_{prefecture.pk}_desk"\n               checked'
        in content
    )


def test_field_in_error_is_described_by_its_message(client, prefecture):
    content = client.post(SHARE_URL, valid_data(prefecture, title="")).content.decode()
    assert 'class="fr-input fr-input--error"' in content
    assert 'aria-describedby="id_title-messages id_title-counter"' in content


def test_more_than_three_services_is_refused(client, prefecture):
    others = TypologyFactory.create_batch(3)
    data = valid_data(prefecture, typologies=[str(prefecture.pk)] + [str(t.pk) for t in others])
    for typology in others:
        data[f"channels_{typology.pk}"] = ["phone"]
    response = client.post(SHARE_URL, data)
    assert "Choisissez au plus 3 services" in field_messages(response, "id_typologies")
    assert not Experience.objects.exists()
    # Every ticked service is still ticked.
    for typology in [prefecture, *others]:
        assert f'value="{typology.pk}" id="id_typologies_{typology.pk}" checked' in response.content.decode()


def test_organism_name_counts_as_a_fourth_service(client, prefecture):
    others = TypologyFactory.create_batch(2)
    data = valid_data(prefecture, typologies=[str(prefecture.pk)] + [str(t.pk) for t in others])
    data.update({f"channels_{t.pk}": ["phone"] for t in others})
    data.update(organism_name="Mairie", channels_autre=["desk"])
    assert "Choisissez au plus 3 services" in field_messages(client.post(SHARE_URL, data), "id_typologies")


def test_channel_outside_the_list_is_refused(client, prefecture):
    data = valid_data(prefecture, **{f"channels_{prefecture.pk}": ["desk", "pigeon"]})
    response = client.post(SHARE_URL, data)
    assert "« pigeon » n'est pas un moyen de contact de la liste." in field_messages(
        response, f"id_channels_{prefecture.pk}"
    )
    assert not ExperienceChannel.objects.exists()


def test_a_chosen_service_needs_a_channel(client, prefecture):
    response = client.post(SHARE_URL, valid_data(prefecture, **{f"channels_{prefecture.pk}": []}))
    assert "Indiquez au moins un moyen de contact" in field_messages(response, f"id_channels_{prefecture.pk}")


def test_script_typed_in_the_title_comes_back_escaped(client, prefecture):
    response = client.post(SHARE_URL, valid_data(prefecture, title="<script>alert(1)</script>", charter=None))
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- suggestions ----------------------------------------------------------------------------------


def test_suggestions_ignore_case_and_accents_and_match_phrases(prefecture, caf):
    assert suggest_typologies("Ma demande à la PREFECTURE") == [prefecture]
    assert suggest_typologies("mon titre de sejour") == [prefecture]
    assert suggest_typologies("mon titre est de séjour") == []  # a phrase matches word for word
    assert suggest_typologies("la caf a versé le rsa") == [caf]
    assert suggest_typologies("la cafétéria") == []  # whole words only


def test_suggestions_are_ranked_by_matches_and_limited(prefecture, caf):
    text = "La CAF m'a renvoyé vers la préfecture. La CAF, encore la CAF, et le RSA."
    assert suggest_typologies(text) == [caf, prefecture]
    assert suggest_typologies(text, limit=1) == [caf]


def test_suggestions_follow_a_keyword_change(prefecture):
    assert suggest_typologies("une mairie") == []
    prefecture.keywords += "\nmairie"
    prefecture.save()
    assert suggest_typologies("une mairie") == [prefecture]


def test_suggestion_endpoint_answers_json(client, prefecture, caf):
    response = client.get(reverse("experiences:suggest_typologies"), {"texte": "Ma carte grise à la préfecture"})
    assert response.status_code == 200
    assert response.json() == {"typologies": [{"id": prefecture.pk, "name": "Préfecture"}]}
    assert client.get(reverse("experiences:suggest_typologies")).json() == {"typologies": []}


def test_form_shows_suggestions_after_a_first_submit_without_javascript(client, prefecture, caf):
    data = valid_data(prefecture, typologies=[], action="suggest", title="", charter=None)
    response = client.post(SHARE_URL, data)
    content = response.content.decode()
    assert f'name="typologies" value="{prefecture.pk}"' in content
    assert f'name="typologies" value="{caf.pk}"' not in content
    assert 'id="error-summary"' not in content  # looking for services judges nothing yet
    assert not Experience.objects.exists()


# --- protections ----------------------------------------------------------------------------------


def test_robot_filling_the_honeypot_is_told_success_but_nothing_is_stored(client, prefecture):
    response = client.post(SHARE_URL, valid_data(prefecture, website="http://spam.example"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("experiences:share_done")
    assert "Merci, votre expérience a bien été envoyée" in response.content.decode()
    assert not Experience.objects.exists()


def test_honeypot_is_hidden_from_people_and_assistive_technologies(client):
    content = client.get(SHARE_URL).content.decode()
    assert '<div class="spplus-honeypot" aria-hidden="true">' in content
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in content


def test_share_form_needs_csrf_token(prefecture):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SHARE_URL, valid_data(prefecture))
    assert response.status_code == 403
    assert not Experience.objects.exists()


def test_same_email_sharing_too_often_gets_the_form_back_with_everything_typed(client, prefecture):
    for _ in range(5):
        assert client.post(SHARE_URL, valid_data(prefecture)).status_code == 302

    response = client.post(SHARE_URL, valid_data(prefecture, email="Camille@Example.org", pseudonym="Camille6"))

    assert response.status_code == 429
    page = html.unescape(response.content.decode())
    assert "Votre expérience n'a pas encore été envoyée" in page
    assert "Votre saisie est conservée ci-dessous" in page
    assert 'value="Un accueil rapide à la préfecture"' in page
    assert DESCRIPTION in page
    assert 'value="Camille6"' in page and 'value="Camille@Example.org"' in page
    assert re.search(rf'value="{prefecture.pk}"[^>]*checked', page)
    assert Experience.objects.count() == 5


def test_email_limit_holds_across_client_addresses(prefecture):
    for index in range(5):
        assert Client(REMOTE_ADDR=f"192.0.2.{index}").post(SHARE_URL, valid_data(prefecture)).status_code == 302

    assert Client(REMOTE_ADDR="192.0.2.99").post(SHARE_URL, valid_data(prefecture)).status_code == 429


def test_mediation_agent_shares_for_thirty_people_from_one_address_then_is_limited(prefecture):
    counter = Client(REMOTE_ADDR="198.51.100.20")
    for index in range(30):
        data = valid_data(prefecture, email=f"usager{index}@example.org", author_type="mediator")
        assert counter.post(SHARE_URL, data).status_code == 302

    refused = counter.post(SHARE_URL, valid_data(prefecture, email="usager30@example.org"))

    assert refused.status_code == 429
    assert "Votre saisie est conservée ci-dessous" in html.unescape(refused.content.decode())
    assert Experience.objects.count() == 30
    assert Client(REMOTE_ADDR="198.51.100.21").post(SHARE_URL, valid_data(prefecture)).status_code == 302


def test_fixing_errors_does_not_use_up_the_rate_limit(client, prefecture):
    for _ in range(6):
        assert client.post(SHARE_URL, valid_data(prefecture, charter=None)).status_code == 200
    assert client.post(SHARE_URL, valid_data(prefecture)).status_code == 302


# --- after sharing --------------------------------------------------------------------------------


def test_shared_experience_is_not_public(client, prefecture):
    client.post(SHARE_URL, valid_data(prefecture))
    experience = Experience.objects.get()
    assert experience.moderation_state == ModerationState.SUBMITTED
    assert not experience.is_published
    try:
        url = experience.get_absolute_url()
    except NoReverseMatch:  # the experience page is built in another part of the public site
        return
    assert client.get(url).status_code == 404


def test_confirmation_masks_the_email_and_explains_moderation(client, prefecture):
    response = client.post(SHARE_URL, valid_data(prefecture), follow=True)
    content = response.content.decode()
    assert "camille@example.org" not in content
    assert "camille" not in content
    assert "c***@example.org" in content
    for words in ("charte de modération", "pas encore publique", "publiée", "rejetée", "modifier", "chaque réponse"):
        assert words in html.unescape(content)


def test_confirmation_is_only_for_the_browser_that_shared(client, prefecture):
    client.post(SHARE_URL, valid_data(prefecture))
    from django.test import Client

    response = Client().get(reverse("experiences:share_done"))
    assert response.status_code == 302
    assert response.url == reverse("experiences:share")


def test_share_page_offers_every_channel_and_feeling(client, prefecture, caf):
    content = client.post(SHARE_URL, valid_data(prefecture, charter=None)).content.decode()
    for value in Channel.values:
        assert f'id="id_channels_{prefecture.pk}_{value}"' in content
    assert "/charte-de-moderation/" in content


def test_second_click_on_send_stores_nothing_twice(client, prefecture):
    token = re.search(r'name="token" value="([^"]+)"', client.get(SHARE_URL).content.decode()).group(1)
    for _ in range(2):
        response = client.post(SHARE_URL, valid_data(prefecture, token=token))
        assert response.status_code == 302
    assert Experience.objects.count() == 1


def test_email_domain_is_lowercased_but_not_its_local_part(client, prefecture):
    client.post(SHARE_URL, valid_data(prefecture, email="Camille.Martin@Example.ORG"))
    assert Experience.objects.get().author_email == "Camille.Martin@example.org"


def test_share_page_and_sending_run_a_bounded_number_of_queries(client, prefecture, caf, django_assert_max_num_queries):
    # The page, and the visit counted for « direct » in one upsert (no structure to look up for it).
    with django_assert_max_num_queries(4):
        client.get(SHARE_URL)
    # 14, and the acknowledgement's outbox row in its savepoint (3).
    with django_assert_max_num_queries(17):
        assert client.post(SHARE_URL, valid_data(prefecture)).status_code == 302
