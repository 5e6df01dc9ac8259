"""A certificate is wholly in its language: the template's words through
gettext, the course's wording and signatory title from the course's page in
that language or else translated defaults (never another language's), and
the date, hours and country formatted the same way on the PDF, in the email
and on the verification page."""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf
import pytest
from django.core.files.storage import storages
from django.utils import translation
from wagtail.models import Locale

from certificates.formatting import certificate_details, format_hours
from certificates.rendering import render_pdf
from certificates.services import certificate_request_for_enrolment
from tests.factories import make_cohort, make_enrolment

from .conftest import complete

LANGUAGES = ["fr", "es", "pt", "ru", "ar"]

# Every word of the English template, lower case: none may be read on a
# certificate in another language.
ENGLISH_WORDS = {
    "certificate",
    "completion",
    "attendance",
    "certify",
    "successfully",
    "completed",
    "course",
    "hours",
    "date",
    "cohort",
    "country",
    "place",
    "code",
    "verify",
    "behalf",
    "programme",
    "director",
}
# Words of the English template that are also words of another language's:
# French writes "Date" and "Code" too.
SAME_WORD = {"fr": {"date", "code"}}


def english_words(text: str, language: str) -> set[str]:
    """The English template words read in the text."""
    return words(text) & ENGLISH_WORDS - SAME_WORD.get(language, set())


def pdf_text(content: bytes) -> str:
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # Shaped Arabic comes back as presentation forms: NFKC gives the letters.
    return unicodedata.normalize("NFKC", text)


def words(text: str) -> set[str]:
    """The Latin words of the text, less the verification URL (its path,
    /<lang>/certificates/verify/, is an address, not a word read)."""
    text = re.sub(r"https?://\S+", "", text)
    return {word.lower() for word in re.findall(r"[A-Za-z]+", text)}


def facts(**extra):
    return {
        "kind": "course",
        "name": "Alice Mbeki",
        "course": "Intégration",
        "hours": "1.5",
        "date": "2026-12-01",
        "cohort": "Kampala 2026",
        "country": "UG",
        "signatory": "Amina Diallo",
        "signatory_title": "",
        "wording": "",
        **extra,
    }


def render(language: str, **extra) -> str:
    return pdf_text(
        render_pdf(
            facts=facts(**extra),
            code="RLX-AAAA-BBBB-CCCC-DDDD",
            language=language,
            verify_url="http://testserver/x/",
        )
    )


EXPECTED = {
    "fr": ["Certificat de réussite", "Nous certifions que", "a suivi avec succès"],
    "es": ["Certificado de finalización", "Se certifica que", "ha completado con"],
    "pt": ["Certificado de conclusão", "Certificamos que", "concluiu com êxito"],
    "ru": ["Сертификат об окончании курса", "Настоящим удостоверяется", "успешно"],
    "ar": ["شهادة إتمام", "نشهد", "بنجاح"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_template_words_are_in_the_certificates_language(language):
    text = render(language)
    assert not english_words(text, language)
    for expected in EXPECTED[language]:
        assert expected in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_details_labels_are_translated(language):
    text = render(language)
    with translation.override(language):
        for label in ["Hours", "Date", "Cohort", "Country"]:
            translated = translation.pgettext("certificate", label)
            assert translated != label or label.lower() in SAME_WORD.get(language, ())
            assert translated in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_attendance_certificate_is_in_its_language(language):
    text = render(
        language,
        kind="attendance",
        trainer="Tina Kamara",
        cascade="Cascade",
        place="Yaoundé",
    )
    assert not english_words(text, language)
    assert not words(text) & {"trained", "trainer", "attended"}
    assert "Tina Kamara" in text


def test_hours_are_written_with_the_languages_decimal_separator():
    assert format_hours("12.0", "en") == "12"
    assert format_hours("1.5", "en") == "1.5"
    assert format_hours("1.5", "fr") == "1,5"
    assert format_hours("120.00", "ru") == "120"
    assert "1,5" in render("fr")


def translate_course(course, language: str, **fields):
    """The course's live translation into `language` (wagtail's own copy)."""
    locale = Locale.objects.get(language_code=language)
    translated = course.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@pytest.fixture
def russian_participant(participant):
    participant.preferred_language = "ru"
    participant.save(update_fields=["preferred_language"])
    return participant


def issue(enrolment, capture) -> object:
    with capture(execute=True):
        certificate = certificate_request_for_enrolment(enrolment=enrolment)
    certificate.refresh_from_db()
    return certificate


def stored_text(certificate) -> str:
    return pdf_text(storages["private"].open(certificate.pdf.name, "rb").read())


@pytest.mark.django_db
def test_the_course_translations_wording_and_signatory_title_are_printed(
    russian_participant, course, django_capture_on_commit_callbacks, mailoutbox
):
    translate_course(
        course,
        "ru",
        title="Интеграция мигрантов",
        certificate_wording="прошёл(ла) онлайн-курс",
        certificate_signatory_title="Директор программы",
    )
    enrolment = complete(make_enrolment(user=russian_participant, course=course))
    certificate = issue(enrolment, django_capture_on_commit_callbacks)
    assert certificate.language == "ru"
    assert certificate.facts["signatory_title"] == "Директор программы"
    text = stored_text(certificate)
    assert "Интеграция мигрантов" in text
    assert "прошёл(ла) онлайн-курс" in text
    assert "Директор программы" in text
    assert "Dr. A. Example" in text  # the signatory's name, as written
    assert not english_words(text, "ru")


@pytest.mark.django_db
def test_without_a_translation_the_defaults_are_translated_not_english(
    russian_participant, course, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment = complete(make_enrolment(user=russian_participant, course=course))
    certificate = issue(enrolment, django_capture_on_commit_callbacks)
    assert certificate.language == "ru"
    text = stored_text(certificate)
    assert "has successfully completed the course" not in text
    assert "Programme Director" not in text
    assert "успешно завершил(а) курс" in text
    assert "От имени Relais" in text
    # The course has no Russian title: its own title is the only English.
    assert words(text) & ENGLISH_WORDS <= {"integration", "migrants"} & ENGLISH_WORDS
    assert "Integration of migrants" in text


def test_enrolled_on_an_alias_the_english_wording_is_not_printed(
    russian_participant, course, django_capture_on_commit_callbacks, mailoutbox
):
    """The Russian alias of an English course (served under /ru/) is in the
    Russian tree but carries the English text: the defaults are printed."""
    from courses.languages import course_aliases_ensure
    from courses.models import CoursePage

    course_aliases_ensure(course)
    alias = CoursePage.objects.get(
        translation_key=course.translation_key, locale__language_code="ru"
    )
    assert alias.alias_of_id == course.pk
    enrolment = complete(make_enrolment(user=russian_participant, course=alias))
    certificate = issue(enrolment, django_capture_on_commit_callbacks)
    text = stored_text(certificate)
    assert "has successfully completed the course" not in text
    assert "Programme Director" not in text
    assert "успешно завершил(а) курс" in text and "От имени Relais" in text


@pytest.mark.django_db
def test_a_draft_translation_is_not_printed(
    russian_participant, course, django_capture_on_commit_callbacks, mailoutbox
):
    locale = Locale.objects.get(language_code="ru")
    draft = course.copy_for_translation(locale, copy_parents=True)
    draft.certificate_signatory_title = "Черновик"
    draft.save_revision()
    enrolment = complete(make_enrolment(user=russian_participant, course=course))
    certificate = issue(enrolment, django_capture_on_commit_callbacks)
    assert "Черновик" not in stored_text(certificate)


@pytest.fixture
def french_certificate(
    participant, course, django_capture_on_commit_callbacks, mailoutbox
):
    participant.preferred_language = "fr"
    participant.save(update_fields=["preferred_language"])
    cohort = make_cohort(course=course, name="Kampala 2026", country="UG")
    enrolment = complete(make_enrolment(user=participant, course=course, cohort=cohort))
    return issue(enrolment, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_the_email_formats_date_hours_and_country_as_the_pdf(
    french_certificate, mailoutbox
):
    details = certificate_details(french_certificate.facts, "fr")
    assert details["hours"] == "6" and details["country"] == "Ouganda"
    text = stored_text(french_certificate)
    message = mailoutbox[-1]
    html = message.alternatives[0][0]
    for value in details.values():
        assert value in text
        assert value in message.body
        assert value in html
    assert "Heures : 6" in message.body or "Heures: 6" in message.body
    assert "6.0" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ru", "ar", "en"])
def test_the_verification_page_formats_in_the_visitors_language(
    client, french_certificate, language
):
    response = client.get(f"/{language}/certificates/verify/{french_certificate.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in body
    details = certificate_details(french_certificate.facts, language)
    for value in details.values():
        assert f"<dd>{value}</dd>" in body
    assert french_certificate.facts["date"] not in body  # never the ISO date
    assert "6.0" not in body


@pytest.mark.django_db
def test_the_french_verification_page_says_what_the_french_pdf_says(
    client, french_certificate
):
    body = client.get(
        f"/fr/certificates/verify/{french_certificate.code}/"
    ).content.decode()
    text = stored_text(french_certificate)
    for value in certificate_details(french_certificate.facts, "fr").values():
        assert value in text and value in body
