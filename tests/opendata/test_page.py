"""The /open-data/ page, the downloads (ETag, Last-Modified) and the schemas' stable addresses."""

import json

import pytest
from django.urls import reverse
from django.utils.http import http_date

from opendata.datasets import DATASETS
from opendata.services import generate_all, generate_file

from .catalogue import build_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_visitor_sees_the_five_files_with_date_rows_size_licence_and_schema(client, django_assert_max_num_queries):
    build_catalogue()
    generate_all()
    with django_assert_max_num_queries(2):
        page = client.get(reverse("opendata:index"))
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="fr"' in html
    for slug, dataset in DATASETS.items():
        assert reverse("opendata:download", args=[slug]) in html
        assert reverse("opendata:schema", args=[slug]) in html
        assert dataset.title in html
    assert "etalab-2.0" in html and "Généré le" in html and "2 lignes" in html
    assert "Code SP+ de la structure" in html  # the columns, described


def test_visitor_sees_files_not_yet_generated_announced_when_not_in_debug(client, settings):
    settings.DEBUG = False
    page = client.get(reverse("opendata:index"))
    assert page.content.decode().count("pas encore été généré") == len(DATASETS)
    assert client.get(reverse("opendata:download", args=["structures"])).status_code == 404


def test_client_that_has_the_file_downloads_nothing(client):
    build_catalogue()
    published = generate_file("structures")
    url = reverse("opendata:download", args=["structures"])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] == f'"{published.sha256}"'
    assert b"".join(first.streaming_content).startswith("\ufeffCode SP+ de la structure;".encode())
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"autre"'}).status_code == 200


def test_a_new_generation_changes_the_etag_when_the_data_changes(client):
    build_catalogue()
    before = generate_file("typologies")
    from tests.factories import TypologyFactory

    TypologyFactory(name="Nouvelle typologie")
    after = generate_file("typologies")
    assert after.sha256 != before.sha256 and after.row_count == before.row_count + 1
    stale = client.get(
        reverse("opendata:download", args=["typologies"]), headers={"if-none-match": f'"{before.sha256}"'}
    )
    assert stale.status_code == 200
    assert http_date(after.generated_at.timestamp()) == stale["Last-Modified"]


def test_schema_is_served_at_its_stable_address_as_json():
    from django.test import Client

    response = Client().get("/open-data/schemas/experiences.json")
    schema = json.loads(response.content)
    assert response.status_code == 200 and schema["fields"][0]["name"] == "ID expérience"
    assert Client().get("/open-data/schemas/inconnu.json").status_code == 404


def test_superuser_generates_the_files_from_the_admin(admin_client):
    from opendata.models import PublishedFile

    build_catalogue()
    changelist = reverse("admin:opendata_publishedfile_changelist")
    slugs = ["typologies", "structures"]
    pks = list(PublishedFile.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "generate_now", "_selected_action": pks}, follow=True)
    assert response.status_code == 200
    generated = PublishedFile.objects.exclude(path="")
    assert sorted(generated.values_list("slug", flat=True)) == sorted(slugs)


def test_moderator_cannot_reach_the_generation_in_the_admin(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:opendata_publishedfile_changelist")).status_code == 403
