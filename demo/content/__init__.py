"""The demo courses' translations, as wagtail-localize takes them: for each
course and language, a mapping from each English string of the course
(titles, paragraphs, key points, quiz questions, answers and feedback,
alternative texts) to its translation.

French comes from the French text written next to the English in
demo/demo_content_courses.py; the other languages have a module per course
and language here (`tot_es.py`: the train-the-trainer course in Spanish),
each with a `STRINGS` mapping and the course's `TAGS` in that language.
Written for Relais (Portuguese as in Brazil, Spanish as in Central America,
Russian for the administrations of Kyrgyzstan, Modern Standard Arabic)."""

from __future__ import annotations

from importlib import import_module

# The languages each course is translated into through wagtail-localize, and
# the module prefix of its texts.
TRANSLATED = {
    "capacity-development-tot": ("tot", ("fr", "es", "pt", "ru", "ar")),
    "integration-of-migrants-and-refugees": ("integration", ("fr", "es", "ar")),
}

# The signatory is a person: her name is transliterated where the script
# differs, and kept elsewhere.
SIGNATORY = "Dr. Amina Diallo"


def languages(slug: str) -> tuple[str, ...]:
    return TRANSLATED[slug][1] if slug in TRANSLATED else ()


def strings(spec: dict, lang: str, image_alt: dict) -> dict[str, str]:
    """English → `lang` for the course `spec`."""
    if lang == "fr":
        return dict(_french(spec, image_alt))
    prefix = TRANSLATED[spec["slug"]][0]
    return dict(import_module(f"{__name__}.{prefix}_{lang}").STRINGS)


def tags(spec: dict, lang: str) -> list[str]:
    if lang in spec["tags"]:
        return list(spec["tags"][lang])
    prefix = TRANSLATED[spec["slug"]][0]
    return list(import_module(f"{__name__}.{prefix}_{lang}").TAGS)


def _french(spec: dict, image_alt: dict):
    """The (English, French) pairs of a course written in both languages."""
    en, fr = spec["en"], spec["fr"]
    for key in ("title", "summary", "cover_alt", "wording", "signatory"):
        yield en[key], fr[key]
    yield from zip(en["outcomes"], fr["outcomes"], strict=True)
    yield SIGNATORY, SIGNATORY
    yield image_alt[spec["image"]]["en"], image_alt[spec["image"]]["fr"]
    yield "Further reading", "Pour aller plus loin"
    for module in spec["modules"]:
        yield from zip(module["en"], module["fr"], strict=True)
        for lesson in module["lessons"]:
            (title_en, paras_en, key_en), (title_fr, paras_fr, key_fr) = (
                lesson["en"],
                lesson["fr"],
            )
            yield title_en, title_fr
            yield key_en, key_fr
            yield from zip(paras_en, paras_fr, strict=True)
        quiz = module["quiz"]
        yield quiz["en"], quiz["fr"]
        for question in quiz["questions"]:
            yield question["en"], question["fr"]
            for _correct, texts in question["answers"]:
                yield from zip(texts["en"], texts["fr"], strict=True)
