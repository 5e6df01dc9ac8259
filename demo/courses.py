"""Demo courses: the catalogue in every language, the two flagship courses
and the short workshop course. The flagship courses are written in English
and translated through wagtail-localize (demo/localize.py, texts in
demo/content/): the train-the-trainer course into all six languages, the
integration course into French, Spanish and Arabic. The workshop course is
a plain Wagtail copy in French. Idempotent: pages are found again by slug
and locale, images by title; a second run changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from home.models import HomePage

from . import content
from .demo_content_courses import CATALOGUE_TITLES, COURSES
from .localize import translate_tree

COLOURS = {
    "integration": ((11, 92, 107), [(230, 126, 34), (39, 174, 96), (142, 68, 173)]),
    "cascade": ((7, 67, 78), [(241, 196, 15), (46, 204, 113), (52, 152, 219)]),
    "workshop": ((179, 71, 0), [(255, 255, 255), (241, 196, 15), (26, 188, 156)]),
}
IMAGE_ALT = {
    "integration": {
        "en": "Diagram: a person at the centre, linked to work, school, housing "
        "and health",
        "fr": "Schéma : une personne au centre, reliée au travail, à l'école, au "
        "logement et à la santé",
    },
    "cascade": {
        "en": "Diagram: one trainer trains three people, who each train three more",
        "fr": "Schéma : un formateur forme trois personnes, qui en forment chacune "
        "trois autres",
    },
    "workshop": {
        "en": "Diagram: a team seated around a table",
        "fr": "Schéma : une équipe assise autour d'une table",
    },
}


def load(*, stdout, debug: bool, translate: bool = True) -> None:
    """`translate=False` leaves out the wagtail-localize translations (the
    longest part of the load: a page at a time), for tests that need the
    English courses only."""
    locales = {
        code: Locale.objects.get(language_code=code)
        for code in CATALOGUE_TITLES
        if Locale.objects.filter(language_code=code).exists()
    }
    catalogues = _catalogues(locales)
    images = {name: _image(name) for name in COLOURS}
    created = 0
    pages = {}
    for spec in COURSES:
        en, made = _course(spec, catalogues, locales, images, translate=translate)
        created += made
        pages[spec["slug"]] = en
    _qualifications(pages, locales)
    stdout.write(f"Courses: {len(COURSES)} courses ready ({created} pages created).")


# --- Pages ------------------------------------------------------------------


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _catalogues(locales) -> dict[str, CourseIndexPage]:
    result = {}
    en_home = HomePage.objects.get(locale=locales["en"])
    en = CourseIndexPage.objects.child_of(en_home).first()
    if en is None:
        title, intro = CATALOGUE_TITLES["en"]
        en = CourseIndexPage(
            title=title, slug="courses", intro=f"<p>{intro}</p>", locale=locales["en"]
        )
        en_home.add_child(instance=en)
        _publish(en)
    result["en"] = en
    for code, locale in locales.items():
        if code == "en":
            continue
        page = CourseIndexPage.objects.filter(
            translation_key=en.translation_key, locale=locale
        ).first()
        if page is None:
            page = en.copy_for_translation(locale)
            title, intro = CATALOGUE_TITLES[code]
            page.title, page.intro, page.slug = title, f"<p>{intro}</p>", "courses"
            _publish(page)
        result[code] = page
    return result


def _course_fields(page: CoursePage, spec, lang: str, images) -> None:
    text = spec[lang]
    page.title = text["title"]
    page.summary = text["summary"]
    page.learning_outcomes = (
        "<ul>" + "".join(f"<li>{item}</li>" for item in text["outcomes"]) + "</ul>"
    )
    page.kind = spec["kind"]
    page.enrolment_mode = spec.get("enrolment_mode", "")
    page.estimated_hours = Decimal(spec["hours"])
    page.cover_image = images[spec["image"]]
    page.cover_alt = text["cover_alt"]
    page.certificate_wording = text["wording"]
    page.certificate_signatory = "Dr. Amina Diallo"
    page.certificate_signatory_title = text["signatory"]


def _course(
    spec, catalogues, locales, images, *, translate: bool
) -> tuple[CoursePage, int]:
    created = 0
    # Translated through wagtail-localize (below) or copied in French.
    localized = bool(content.languages(spec["slug"]))
    en = CoursePage.objects.filter(locale=locales["en"], slug=spec["slug"]).first()
    if en is None:
        en = CoursePage(slug=spec["slug"], locale=locales["en"])
        _course_fields(en, spec, "en", images)
        catalogues["en"].add_child(instance=en)
        en.tags.add(*spec["tags"]["en"])
        _publish(en)
        created += 1
    fr = None
    if not localized:
        fr = _translation(en, locales["fr"])
        if fr is None:
            fr = en.copy_for_translation(locales["fr"])
            _course_fields(fr, spec, "fr", images)
            fr.slug = spec["slug"]
            fr.tags.clear()
            fr.tags.add(*spec["tags"]["fr"])
            _publish(fr)
            created += 1
    for module_spec in spec["modules"]:
        created += _module(en, module_spec, spec, locales, images, copy=fr is not None)
    for lang in content.languages(spec["slug"]) if translate else ():
        if lang in locales:
            created += _localize(en, spec, locales[lang], lang)
    return en, created


def _localize(en: CoursePage, spec, locale: Locale, lang: str) -> int:
    """The course and its pages in `lang`, as wagtail-localize translations.
    Topics are a synchronised field (copied from the English page), so a new
    translation gets its own topics afterwards."""
    strings = content.strings(spec, lang, IMAGE_ALT)
    created = translate_tree(en, locale, strings)
    if created and created[0].pk == en.pk:
        course = _translation(en, locale)
        course.tags.clear()
        course.tags.add(*content.tags(spec, lang))
        _publish(course)
    return len(created)


def _translation(page: Page, locale: Locale):
    return (
        page.specific_class.objects.filter(
            translation_key=page.translation_key, locale=locale
        )
        .specific()
        .first()
    )


def _module(en_course, spec, course_spec, locales, images, *, copy: bool) -> int:
    """The module in English and its lessons; with `copy`, their French
    copies too (courses not translated through wagtail-localize)."""
    created = 0
    en = ModulePage.objects.child_of(en_course).filter(slug=spec["slug"]).first()
    if en is None:
        title, summary = spec["en"]
        en = ModulePage(
            title=title, slug=spec["slug"], summary=summary, locale=locales["en"]
        )
        en_course.add_child(instance=en)
        _publish(en)
        created += 1
    if copy and _translation(en, locales["fr"]) is None:
        fr = en.copy_for_translation(locales["fr"])
        fr.title, fr.summary = spec["fr"]
        _publish(fr)
        created += 1
    for index, lesson_spec in enumerate(spec["lessons"]):
        last = index == len(spec["lessons"]) - 1
        created += _lesson(
            en,
            lesson_spec,
            spec["quiz"] if last else None,
            course_spec,
            locales,
            images,
            copy=copy,
        )
    return created


def _lesson(module, spec, quiz, course_spec, locales, images, *, copy: bool) -> int:
    created = 0
    en = LessonPage.objects.child_of(module).filter(slug=spec["slug"]).first()
    if en is None:
        en = LessonPage(
            title=spec["en"][0],
            slug=spec["slug"],
            locale=locales["en"],
            estimated_minutes=20,
            body=_body(spec, quiz, course_spec, "en", images),
        )
        module.add_child(instance=en)
        _publish(en)
        created += 1
    if copy and _translation(en, locales["fr"]) is None:
        fr = en.copy_for_translation(locales["fr"])
        fr.title = spec["fr"][0]
        fr.body = _body(spec, quiz, course_spec, "fr", images)
        _publish(fr)
        created += 1
    return created


def _body(spec, quiz, course_spec, lang: str, images) -> list:
    title, paragraphs, key_point = spec[lang]
    body: list = [("rich_text", "".join(f"<p>{p}</p>" for p in paragraphs))]
    if spec.get("image"):
        name = course_spec["image"]
        body.append(
            (
                "image",
                {
                    "image": images[name],
                    "alt_text": IMAGE_ALT[name][lang],
                    "caption": "",
                },
            )
        )
    body.append(
        ("callout", {"kind": "key_point", "title": "", "text": f"<p>{key_point}</p>"})
    )
    if spec.get("resources"):
        resources = _resources(course_spec["resources"], lang)
        if resources:
            heading = "Further reading" if lang == "en" else "Pour aller plus loin"
            body.append(
                ("related_resources", {"heading": heading, "resources": resources})
            )
    if quiz:
        body.append(("quiz", _quiz(quiz, lang)))
    return body


def _resources(slugs, lang: str) -> list:
    try:
        from resources.models import ResourcePage
    except ImportError:  # the resources app is optional for courses
        return []
    found = []
    for slug in slugs:
        page = (
            ResourcePage.objects.live()
            .filter(slug=slug, locale__language_code=lang)
            .first()
            or ResourcePage.objects.live()
            .filter(slug=slug, locale__language_code="en")
            .first()
        )
        if page is not None:
            found.append(page)
    return found


def _quiz(quiz, lang: str) -> dict:
    return {
        "title": quiz[lang],
        "pass_mark": 60,
        "max_attempts": None,
        "questions": [
            {
                "text": question[lang],
                "kind": question["kind"],
                "answers": [
                    {"text": texts[lang][0], "correct": ok, "feedback": texts[lang][1]}
                    for ok, texts in question["answers"]
                ],
            }
            for question in quiz["questions"]
        ],
    }


def _qualifications(pages, locales) -> None:
    """The ToT course qualifies its graduates to deliver itself and the workshop
    course, in each language (the workshop in English where it has no
    translation)."""
    tot_en = pages["capacity-development-tot"]
    workshop_en = pages["delivering-the-capacity-development-workshop"]
    for locale in locales.values():
        tot = _translation(tot_en, locale)
        if tot is None:
            continue
        workshop = _translation(workshop_en, locale) or workshop_en
        wanted = {tot.pk, workshop.pk}
        if set(tot.qualifies_for.values_list("pk", flat=True)) == wanted:
            continue
        tot.qualifies_for.set([tot, workshop])
        _publish(tot)


# --- Images -----------------------------------------------------------------


def _image(name: str):
    Image = get_image_model()
    title = f"Relais demo: {name}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(_draw(name)), name=f"relais-demo-{name}.png")
    image.save()
    return image


def _draw(name: str) -> bytes:
    """A simple diagram in the brand colours (Pillow, no external assets)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    background, colours = COLOURS[name]
    width, height = 1200, 675
    canvas = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    if name == "cascade":
        levels = [[(600, 110)], [(300, 330), (600, 330), (900, 330)]]
        levels.append([(x + dx, 560) for x, _ in levels[1] for dx in (-90, 0, 90)])
        for upper, lower in zip(levels, levels[1:], strict=False):
            for i, (x, y) in enumerate(lower):
                px, py = upper[i * len(upper) // len(lower)]
                draw.line([(px, py), (x, y)], fill=(255, 255, 255), width=5)
        for depth, level in enumerate(levels):
            r = 70 - depth * 20
            for x, y in level:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colours[depth])
    elif name == "workshop":
        draw.rounded_rectangle([380, 250, 820, 430], radius=30, fill=colours[0])
        for x, y in [(300, 340), (900, 340), (480, 160), (720, 160), (600, 520)]:
            draw.ellipse([x - 55, y - 55, x + 55, y + 55], fill=colours[1 + x % 2])
    else:
        centre = (600, 338)
        spokes = [(250, 150), (950, 150), (250, 525), (950, 525)]
        for x, y in spokes:
            draw.line([centre, (x, y)], fill=(255, 255, 255), width=8)
        for i, (x, y) in enumerate(spokes):
            draw.ellipse([x - 90, y - 90, x + 90, y + 90], fill=colours[i % 3])
        draw.ellipse([480, 218, 720, 458], fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
