import pytest

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_with_its_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "max-age=0" in response["Cache-Control"]


def test_manifest_starts_in_the_visitors_language(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    body = response.json()
    assert body["start_url"] == "/fr/dashboard/"
    assert body["icons"]


def test_offline_page_is_in_the_visitors_language(client):
    response = client.get("/fr/offline/")
    assert response.status_code == 200
    assert "Vous êtes hors ligne" in response.content.decode()
