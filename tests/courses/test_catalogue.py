import pytest

from tests.factories import make_course


@pytest.fixture
def courses(site):
    en = make_course(title="Border management basics", kind="self_paced", hours="4.0")
    en.tags.add("borders")
    en.save_revision().publish()
    fr = make_course(
        title="Gestion des frontières", language="fr", kind="train_the_trainer"
    )
    return en, fr


def test_catalogue_lists_courses_with_summary_kind_and_hours(client, courses):
    body = client.get("/en/courses/").content.decode()
    assert "Border management basics" in body and "Gestion des fronti" in body
    assert "Summary of Border management basics." in body
    assert "Self-paced online" in body and "4 h" in body


def test_visitors_language_comes_first(client, courses):
    en_body = client.get("/en/courses/").content.decode()
    assert en_body.index("Border management") < en_body.index("Gestion des")


def test_language_filter_keeps_only_that_language(client, courses):
    body = client.get("/en/courses/?language=fr").content.decode()
    assert "Gestion des fronti" in body and "Border management basics" not in body


def test_kind_filter(client, courses):
    body = client.get("/en/courses/?kind=train_the_trainer").content.decode()
    assert "Gestion des fronti" in body and "Border management basics" not in body


def test_topic_filter(client, courses):
    body = client.get("/en/courses/?topic=borders").content.decode()
    assert "Border management basics" in body and "Gestion des fronti" not in body


def test_search_uses_the_search_backend(client, courses):
    body = client.get("/en/courses/?q=border").content.decode()
    assert "Border management basics" in body and "Gestion des fronti" not in body


@pytest.mark.parametrize(
    "query", ["language=xx", "kind=<script>", "topic=nope", "language=&kind=%00"]
)
def test_bad_filter_values_are_ignored_with_a_message(client, courses, query):
    response = client.get(f"/en/courses/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Border management basics" in body
    if "=&" not in query:
        assert "not recognised" in body


def test_no_match_shows_an_empty_state(client, courses):
    body = client.get("/en/courses/?q=zzzzqqq").content.decode()
    assert "No course matches these filters." in body


@pytest.mark.parametrize("name", ["q", "topic"])
def test_a_nul_byte_in_the_catalogue_filters_is_ignored_and_said(client, site, name):
    from tests.factories import catalogue

    make_course(title="Still listed")
    response = client.get(catalogue().url, {name: "a\x00b"})
    assert response.status_code == 200
    assert b"Still listed" in response.content
    assert b"Some filters were not recognised" in response.content
    word = b"search" if name == "q" else b"topic"
    assert word + b"." in response.content
