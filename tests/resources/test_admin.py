import pytest
from django.urls import reverse

from tests.factories import make_resource

pytestmark = pytest.mark.django_db


def test_an_editor_can_open_a_resource_in_the_admin_with_both_kinds_sections(
    client, admin_user, themes
):
    page = make_resource(title="Integration plan")
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Case study" in html and "Knowledge sheet" in html
    assert "Diaspora engagement" in html  # the themes to choose from


def test_themes_are_managed_as_a_snippet_list(client, admin_user, themes):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailsnippets_resources_theme:list"))
    assert response.status_code == 200
    assert "Child protection" in response.content.decode()


def test_an_outsider_cannot_open_the_resource_editor(client, outsider, site):
    page = make_resource(title="Integration plan")
    client.force_login(outsider)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in (302, 403)


def test_choosing_a_theme_by_a_pk_that_is_not_a_number_is_not_found(
    client, admin_user, themes
):
    client.force_login(admin_user)
    url = reverse("wagtailsnippetchoosers_resources_theme:chosen", args=["abc"])
    # Not found under /admin/ goes on to the language-prefixed address first.
    assert client.get(url, follow=True).status_code == 404
    url = reverse(
        "wagtailsnippetchoosers_resources_theme:chosen",
        args=[str(themes["child"].pk)],
    )
    assert client.get(url).status_code == 200


def test_a_nul_byte_in_an_admin_query_string_is_refused_with_a_message(
    client, admin_user, themes
):
    client.force_login(admin_user)
    response = client.get(
        reverse("wagtailsnippets_resources_theme:list_results"), {"locale": "\x00"}
    )
    assert response.status_code == 400
    assert "not allowed (NUL)" in response.content.decode()


def test_the_editor_offers_the_themes_of_the_resources_language_only(
    client, admin_user, themes
):
    """Issue 18, item 14: one list per language, not every language's."""
    client.force_login(admin_user)
    en_page = make_resource(title="Integration plan")
    fr_page = make_resource(title="Plan d'intégration", language="fr")
    en_html = client.get(
        reverse("wagtailadmin_pages:edit", args=[en_page.pk])
    ).content.decode()
    fr_html = client.get(
        reverse("wagtailadmin_pages:edit", args=[fr_page.pk])
    ).content.decode()
    assert "Child protection" in en_html and "Intégration" not in en_html
    assert "Intégration" in fr_html and "Child protection" not in fr_html
    # The fields the kind requires say so before the editor submits.
    assert en_html.count("Required for a case study.") == 4
    assert en_html.count("Required for a knowledge sheet.") == 3


def test_a_new_resource_offers_its_parents_language_themes(client, admin_user, themes):
    from tests.factories import resource_index

    index = resource_index("fr")
    client.force_login(admin_user)
    html = client.get(
        reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", index.pk])
    ).content.decode()
    assert "Diaspora" in html and "Child protection" not in html
