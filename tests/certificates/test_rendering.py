from __future__ import annotations

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.files.storage import storages

from certificates.rendering import render_pdf
from certificates.services import certificate_request_for_enrolment, verify_url
from tests.factories import make_enrolment

from .conftest import complete

NAMES = [
    ("José", "Núñez Peña"),
    ("Айгерим", "Токтогулова"),
    ("Ngozi", "Okonkwo-Adébáyọ̀"),
    ('<img src="http://127.0.0.1:9/x">', ""),
]


def pdf_text(content: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()


def qr_texts(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last"), NAMES)
def test_the_pdf_holds_the_exact_name(
    first, last, course, django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.models import User

    user = User.objects.create_user(
        email="named@example.org", first_name=first, last_name=last
    )
    enrolment = complete(make_enrolment(user=user, course=course))
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request_for_enrolment(enrolment=enrolment)
    certificate.refresh_from_db()
    content = storages["private"].open(certificate.pdf.name, "rb").read()
    assert f"{first} {last}".strip() in pdf_text(content)


@pytest.mark.django_db
def test_the_qr_code_decodes_to_the_absolute_verification_url(issued):
    content = storages["private"].open(issued.pdf.name, "rb").read()
    expected = verify_url(code=issued.code, language=issued.language)
    assert expected.startswith("http://testserver/en/certificates/verify/RLX-")
    assert qr_texts(content) == [expected]


def facts(**extra):
    return {
        "kind": "course",
        "name": "Айгерим Токтогулова",
        "course": "Интеграция мигрантов",
        "hours": "6.0",
        "date": "2025-03-04",
        "cohort": "Bishkek 2025",
        "country": "KG",
        "signatory": "Dr. A. Example",
        "signatory_title": "Director",
        **extra,
    }


def test_labels_dates_and_countries_follow_the_language():
    text = pdf_text(
        render_pdf(
            facts=facts(),
            code="RLX-AAAA-BBBB-CCCC-DDDD",
            language="ru",
            verify_url="http://testserver/ru/certificates/verify/x/",
        )
    )
    assert "Сертификат об окончании курса" in text
    assert "4 марта 2025" in text
    assert "Киргизия" in text or "Кыргызстан" in text


def test_french_dates_are_written_the_french_way():
    text = pdf_text(
        render_pdf(
            facts=facts(),
            code="RLX-AAAA-BBBB-CCCC-DDDD",
            language="fr",
            verify_url="http://testserver/fr/certificates/verify/x/",
        )
    )
    assert "4 mars 2025" in text
    assert "Certificat de réussite" in text


def test_an_attendance_certificate_names_the_trainer_and_the_cascade():
    text = pdf_text(
        render_pdf(
            facts=facts(
                kind="attendance",
                trainer="Tina Kamara",
                cascade="Train-the-trainer tool",
                place="Yaoundé",
            ),
            code="RLX-AAAA-BBBB-CCCC-DDDD",
            language="en",
            verify_url="http://testserver/en/certificates/verify/x/",
        )
    )
    assert "Trained by Tina Kamara, certified trainer of" in text
    assert "Yaoundé" in text


def test_the_page_is_a4_landscape():
    content = render_pdf(
        facts=facts(),
        code="RLX-AAAA-BBBB-CCCC-DDDD",
        language="en",
        verify_url="http://testserver/en/certificates/verify/x/",
    )
    box = pypdf.PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def embedded_font_programs(content: bytes) -> int:
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    fonts = page["/Resources"]["/Font"]  # type: ignore[index]  # pypdf: PdfObject
    return sum(
        1
        for font in fonts.values()
        if "/FontFile2" in font.get_object().get("/FontDescriptor", {})
    )


@pytest.mark.parametrize(
    "name", ["Айгерим Токтогулова", "José Núñez Peña", "Małgorzata Wiśniewska"]
)
def test_common_names_are_drawn_in_the_embedded_font(name):
    content = render_pdf(
        facts=facts(name=name),
        code="RLX-AAAA-BBBB-CCCC-DDDD",
        language="fr",
        verify_url="http://testserver/fr/certificates/verify/x/",
    )
    # ReportLab embeds the subset of DejaVu Sans the page draws, once.
    assert embedded_font_programs(content) == 1
    assert name in pdf_text(content)


def test_rare_letters_and_combining_marks_read_back_from_the_pdf():
    content = render_pdf(
        facts=facts(name="Ngozi Okonkwo-Adébáyọ̀", cohort="Ǆemal Ŧ"),
        code="RLX-AAAA-BBBB-CCCC-DDDD",
        language="en",
        verify_url="http://testserver/en/certificates/verify/x/",
    )
    assert embedded_font_programs(content) >= 1
    text = pdf_text(content)
    assert "Ngozi Okonkwo-Adébáyọ̀" in text
    assert "Ǆemal Ŧ" in text
