"""The A4 reception-desk poster: its latest results read back from the PDF, two QR codes, agents in scope only."""

import subprocess

import pytest
import segno
from django.urls import reverse

from structures.models import Role
from tests.factories import MembershipFactory
from tests.transparency.factories import ResultFactory
from transparency.models import Indicator
from transparency.poster import share_url

pytestmark = pytest.mark.django_db


def test_agent_downloads_the_poster_of_their_structure(client, tree, tmp_path):
    ResultFactory(structure=tree["site"], indicator=Indicator.objects.get(code="IND-1"))
    client.force_login(MembershipFactory(structure=tree["site"], role=Role.AGENT).user)
    response = client.get(reverse("agents:structure_poster", args=["SITE1"]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "affiche.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nos résultats" in text and "Centre de Lyon" in text
    assert "92,5 %" in text and "2025" in text
    assert "Donnez votre avis" in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in pages  # A4 in points


def test_share_qr_code_carries_the_structures_tracking_source(tree):
    tree["site"].tracking_key = "lyon-accueil"
    assert share_url(tree["site"]).endswith("/experiences/partager/?source=lyon-accueil&canal=affiche")
    assert segno.make(share_url(tree["site"]), error="m").version  # fits in a QR code


def test_agent_cannot_get_the_poster_of_another_structure(client, tree):
    client.force_login(MembershipFactory(structure=tree["site"], role=Role.AGENT).user)
    assert client.get(reverse("agents:structure_poster", args=["SITE2"])).status_code == 404
