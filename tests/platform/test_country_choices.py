"""Country lists in every form: named in the reader's language and sorted in
its alphabet's order, not the English list computed once at import."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.forms import ProfileForm, ProfileSignupForm
from cascades.forms import CohortOpenForm
from enrolment.models import Cohort


def names(form) -> list[str]:
    """The option labels of the form's country field, blank left out."""
    return [str(label) for value, label in form.fields["country"].choices if value]


def signup_form():
    return ProfileSignupForm()


def cohort_form():
    return CohortOpenForm(courses=Cohort.objects.none())


def profile_form():
    return ProfileForm()


FORMS = [signup_form, cohort_form, profile_form]


@pytest.mark.parametrize("make_form", FORMS)
def test_french_names_in_french_order(make_form):
    with translation.override("fr"):
        labels = names(make_form())
    assert "Afrique du Sud" in labels and "Égypte" in labels
    assert "South Africa" not in labels and "Egypt" not in labels
    assert labels.index("Afrique du Sud") < labels.index("Albanie")
    # The accent does not send Égypte after Zimbabwe: it sorts with E.
    assert labels.index("Équateur") < labels.index("Espagne") < labels.index("Fidji")
    assert labels.index("Danemark") < labels.index("Égypte") < labels.index("Fidji")
    assert labels[-1] != "Égypte"


@pytest.mark.parametrize("make_form", FORMS)
def test_russian_names_in_cyrillic_order(make_form):
    with translation.override("ru"):
        labels = names(make_form())
    assert "Египет" in labels and "Egypt" not in labels
    assert labels[0] == "Австралия"
    assert labels.index("Бразилия") < labels.index("Киргизия") < labels.index("Уганда")
    assert labels == sorted(labels, key=_cyrillic_key)


@pytest.mark.parametrize("make_form", FORMS)
def test_arabic_names_in_arabic_order(make_form):
    with translation.override("ar"):
        labels = names(make_form())
    assert "مصر" in labels and "Egypt" not in labels
    # In the Arabic alphabet's order (ا ب ت … م ن ه و ي), hamza forms of
    # alif (أ إ آ) with alif: Brazil, Tunisia, Egypt, Netherlands.
    assert (
        labels.index("البرازيل")
        < labels.index("تونس")
        < labels.index("مصر")
        < labels.index("هولندا")
    )
    first_letters = [label[0] for label in labels]
    assert first_letters[0] in "اأإآ" and first_letters[-1] in "هوي"


def test_each_language_gets_its_own_list_in_one_process():
    """The same form class, two requests in two languages: two lists."""
    with translation.override("fr"):
        french = names(signup_form())
    with translation.override("es"):
        spanish = names(signup_form())
    with translation.override("en"):
        english = names(signup_form())
    assert "Allemagne" in french and "Alemania" in spanish and "Germany" in english


def test_a_localised_choice_validates():
    with translation.override("ru"):
        form = CohortOpenForm(
            data={"country": "EG", "name": "x", "language": "ru", "mode": "online"},
            courses=Cohort.objects.none(),
        )
        form.is_valid()
    assert "country" not in form.errors


def _cyrillic_key(label: str) -> str:
    # ё sorts with е in Russian dictionaries; nothing else needs folding here.
    return label.lower().replace("ё", "е")


def test_signup_page_lists_countries_in_the_page_language(client, site):
    english = client.get("/en/accounts/signup/").content.decode()
    french = client.get("/fr/accounts/signup/").content.decode()
    assert ">Afrique du Sud<" in french and ">South Africa<" not in french
    assert ">South Africa<" in english
