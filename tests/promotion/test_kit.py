"""The promotion kit: scope per role, tracking links carrying the structure's key, banners, QR codes, poster."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.test import override_settings
from PIL import Image

from promotion import kit
from structures.models import Role
from tests import factories as f

SITE = "https://spplus.example.gouv.fr"
pytestmark = pytest.mark.usefixtures("site_url")


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def keyed(structure_tree):
    structure_tree["mine"].tracking_key = "SIP-LYON-3"
    structure_tree["mine"].save(update_fields=["tracking_key"])
    return structure_tree


def kit_url(structure, suffix=""):
    return f"/agents/promotion/{structure.code}/{suffix}"


def test_tracking_link_carries_the_key_as_source_the_medium_and_the_campaign(keyed):
    url = kit.tracking_url(keyed["mine"], kit.Medium.BANNER, "Rentrée 2026")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{SITE}/experiences/partager/"
    assert parse_qs(parts.query) == {"source": ["SIP-LYON-3"], "canal": ["banniere"], "campagne": ["Rentrée 2026"]}


def test_structure_without_key_uses_its_code(structure_tree):
    assert kit.tracking_source(structure_tree["child"]) == structure_tree["child"].code


def test_share_form_opened_from_a_kit_link_records_the_key_as_source(client, keyed):
    url = kit.tracking_url(keyed["mine"], kit.Medium.QR_CODE, "affiches")
    response = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    initial = response.context["form"].initial
    assert (initial["source"], initial["arrival_channel"], initial["campaign"]) == ("SIP-LYON-3", "qr-code", "affiches")


@pytest.mark.parametrize("place", ["mine", "child"])
@pytest.mark.parametrize("role", list(Role))
def test_every_role_opens_the_kit_of_structures_in_scope(client, keyed, role, place):
    user = f.MembershipFactory(structure=keyed["mine"], role=role).user
    client.force_login(user)
    assert client.get(kit_url(keyed[place])).status_code == 200


@pytest.mark.parametrize("place", ["root", "sibling", "foreign"])
@pytest.mark.parametrize("suffix", ["", "qr-code-3cm.png", "affiche.pdf"])
def test_agent_gets_404_for_a_structure_out_of_scope(client, agent, keyed, place, suffix):
    client.force_login(agent)
    assert client.get(kit_url(keyed[place], suffix)).status_code == 404


def test_kit_home_lists_only_the_scope(client, agent, keyed):
    client.force_login(agent)
    response = client.get("/agents/promotion/")
    codes = {s.code for s in response.context["page_obj"].object_list}
    assert codes == {keyed["mine"].code, keyed["child"].code}


def test_anonymous_visitor_is_sent_to_sign_in(client, keyed):
    response = client.get(kit_url(keyed["mine"]))
    assert response.status_code == 302 and response["Location"].startswith("/agents/connexion/")


def test_kit_page_shows_banners_with_preview_code_and_french_alt(client, agent, keyed):
    client.force_login(agent)
    page = client.get(kit_url(keyed["mine"]), {"campagne": "Rentrée"}).content.decode()
    assert page.count("Aidez le service public à s'améliorer") == 3  # one live preview per size
    assert page.count("Aidez le service public à s&#x27;améliorer") == 3  # and its code, to copy
    assert "&lt;a href=&quot;https://spplus.example.gouv.fr/experiences/partager/?source=SIP-LYON-3" in page
    assert 'alt="QR code menant au formulaire' in page
    assert "campagne=Rentr%C3%A9e" in page


@pytest.mark.parametrize("size", kit.QR_SIZES, ids=lambda s: s.key)
def test_png_qr_code_decodes_to_its_tracking_link_at_print_size(client, agent, keyed, size):
    client.force_login(agent)
    response = client.get(kit_url(keyed["mine"], f"qr-code-{size.key}.png"), {"campagne": "accueil"})
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    (decoded,) = zxingcpp.read_barcodes(image)
    assert decoded.text == kit.tracking_url(keyed["mine"], kit.Medium.QR_CODE, "accueil")
    # At 300 dpi the printed width is within a module of the announced size.
    assert abs(image.size[0] / 300 * 25.4 - size.millimetres) < size.millimetres * 0.1


def test_svg_qr_code_is_sized_in_millimetres(client, agent, keyed):
    client.force_login(agent)
    response = client.get(kit_url(keyed["mine"], "qr-code-5cm.svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert b'width="50mm"' in response.content or b'width="50.0mm"' in response.content


def test_unknown_qr_size_or_format_is_404(client, agent, keyed):
    client.force_login(agent)
    assert client.get(kit_url(keyed["mine"], "qr-code-7cm.png")).status_code == 404
    assert client.get(kit_url(keyed["mine"], "qr-code-3cm.gif")).status_code == 404


@override_settings(SITE_URL=SITE)
def test_poster_is_an_a4_pdf(client, agent, keyed):
    client.force_login(agent)
    response = client.get(kit_url(keyed["mine"], "affiche.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_kit_home_query_count_does_not_grow_with_structures(client, agent, keyed, django_assert_max_num_queries):
    for _ in range(25):
        f.StructureFactory(parent=keyed["mine"])
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        response = client.get("/agents/promotion/")
    assert response.context["paginator"].count == 27
    assert len(response.context["page_obj"].object_list) == 20
