"""A course kept on the participant's phone (docs/offline.md): the list of
URLs the phone stores to read the course without a connection, each with its
size in bytes and a revision, and a version that changes when any of them
does.

What is listed: the course page, every lesson of its outline (its live
lessons under live modules, at their URLs under the course's language
prefix), their images at the two phone-sized renditions the pages offer in
their `srcset` (360 and 720 px wide, WebP: templates/blocks/image_block.html),
the static files the pages load, and, when asked, the documents the lessons
offer for download. Only a participant with a seat (what the lesson access
policy grants: an active or completed enrolment) gets it; anyone else a 404.

A page's size is that of its HTML, rendered once per revision without the
reader's progress (the progress adds a few hundred bytes); images and
documents are their files' sizes. The whole manifest is cached under the
course's fingerprint (its live pages' ids, places and revisions, and the
static files' sizes and times), so a publish, a move or an unpublish gives a
new one at once; one query and one cache read when nothing changed."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Page

from . import access, selectors
from .models import CoursePage, LessonPage

logger = logging.getLogger(__name__)

# The renditions a phone picks from a page's srcset (360 px wide at 1x, 720
# at 2x); the worker serves a kept one when a phone asks for another width.
PHONE_RENDITIONS = ("width-360|format-webp", "width-720|format-webp")
# Static files every page loads besides js/*.js (all of which are kept: a
# script added later, such as the offline progress queue, is kept with them).
STATIC_FILES = ("css/relais.css", "img/favicon.svg")
CACHE_TIMEOUT = 3600  # also bounds an image replaced without a page publish
DOCUMENT_LINK = re.compile(r'linktype="document"\s+id="(\d+)"')


# The header static/js/keep.js sends with the requests that fill a kept
# course's cache: the worker lets them through to the network, and a lesson
# fetched so is not counted as read.
KEEP_HEADER = "X-Relais-Keep"


def is_keep_request(request) -> bool:
    return bool(request.headers.get(KEEP_HEADER))


def cache_name(course_id: int) -> str:
    """The phone's Cache Storage entry for the course (static/js/keep.js)."""
    return f"relais-course-{course_id}"


def course_get_for_keeping(*, user, course_id: int) -> CoursePage:
    """The gatekeeper: the live course, if `user` holds a seat in it; 404
    for visitors, outsiders and withdrawn participants alike."""
    course = (
        CoursePage.objects.live().filter(pk=course_id).select_related("locale").first()
    )
    if course is None or not user.is_authenticated:
        raise Http404("No such course.")
    if not access.lesson_access_policy.call(default=None, user=user, course=course):
        raise Http404("No such course.")
    return course


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _static_entries() -> list[dict]:
    names = list(STATIC_FILES)
    script = finders.find("js/pwa.js")
    if script:
        names += sorted(
            f"js/{path.name}"
            for path in Path(script).parent.glob("*.js")
            if path.name != "sw.js"  # served at /sw.js, never from a cache
        )
    entries = []
    for name in names:
        found = finders.find(name)
        if not found:
            continue
        stat = Path(found).stat()
        entries.append(
            {
                "url": static(name),
                "bytes": stat.st_size,
                "rev": f"{stat.st_size}-{int(stat.st_mtime)}",
                "kind": "static",
            }
        )
    return entries


def _fingerprint(course: CoursePage, static_entries: list[dict]) -> str:
    pages = list(
        Page.objects.live()
        .descendant_of(course, inclusive=True)
        .order_by("path")
        .values_list("pk", "path", "live_revision_id", "last_published_at")
    )
    statics = [(e["url"], e["rev"]) for e in static_entries]
    return _digest([course.pk, course.locale.language_code, pages, statics])


def _page_bytes(template: str, context: dict, request) -> int:
    return len(render_to_string(template, context, request=request).encode())


def _lesson_bytes(lesson: LessonPage, course, outline, request) -> int:
    previous, following = selectors.lesson_neighbours(lesson=lesson, outline=outline)
    results = selectors.quiz_results_for(
        user=AnonymousUser(), lesson=lesson, course=course
    )
    context = {
        "page": lesson,
        "self": lesson,
        "course": course,
        "outline": outline,
        "previous_lesson": previous,
        "next_lesson": following,
        "progress": None,
        "done_lesson_ids": set(),
        "quiz_results": results,
        "quiz_tokens": dict.fromkeys(results, "x" * 32),
    }
    return _page_bytes(lesson.get_template(request), context, request)


def _course_bytes(course: CoursePage, outline, request) -> int:
    context = {
        "page": course,
        "self": course,
        "outline": outline,
        "translations": list(selectors.course_translations(course=course)),
        "topics": [item.tag for item in course.tagged_items.select_related("tag")],
        "enrolment_panel": None,
        "progress": None,
    }
    return _page_bytes(course.get_template(request), context, request)


def _image_entries(images: list) -> list[dict]:
    entries = []
    for image in images:
        for rendition in image.get_renditions(*PHONE_RENDITIONS).values():
            try:
                size = rendition.file.size
            except OSError:  # a rendition whose file is gone: left out
                continue
            entries.append(
                {
                    "url": rendition.url,
                    "bytes": size,
                    "rev": image.file_hash or str(image.pk),
                    "kind": "image",
                }
            )
    return entries


def _document_entries(document_ids: set[int]) -> list[dict]:
    entries = []
    for document in get_document_model().objects.filter(pk__in=document_ids):
        try:
            # Wagtail records the size on upload; older rows may lack it.
            size = document.file_size or document.file.size
        except OSError:  # a document whose file is gone: left out
            continue
        entries.append(
            {
                "url": document.url,
                "bytes": size,
                "rev": document.file_hash or str(document.pk),
                "kind": "document",
            }
        )
    return sorted(entries, key=lambda entry: entry["url"])


def _sized(pages: list[tuple[dict, Callable[[], int]]]) -> list[dict]:
    """The page entries with their sizes: from the cache for a page whose
    revision was seen before, else rendered (and kept a day)."""
    keys = [f"relais:offline:bytes:{_digest([e['url'], e['rev']])}" for e, _ in pages]
    try:
        found = cache.get_many(keys)
    except Exception:  # noqa: BLE001 - sizes work without the cache
        found = {}
    new = {}
    for key, (entry, render) in zip(keys, pages, strict=True):
        if key not in found:
            new[key] = found[key] = render()
        entry["bytes"] = found[key]
    if new:
        try:
            cache.set_many(new, 24 * 3600)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable: page sizes not stored")
    return [entry for entry, _ in pages]


def _build(course: CoursePage, static_entries: list[dict], request) -> dict:
    outline = selectors.course_outline_cached(course=course)
    outline_rev = _digest(outline)
    statics_rev = _digest([e["rev"] for e in static_entries])
    ids = [lesson.pk for lesson in selectors.course_lessons(outline=outline)]
    lessons = {page.pk: page for page in LessonPage.objects.filter(pk__in=ids)}
    images: dict[int, Any] = {}
    if course.cover_image is not None:
        images[course.cover_image.pk] = course.cover_image
    document_ids: set[int] = set()
    # (entry, how to render it): a page is rendered only when its revision
    # is new (an edit renders that lesson again, not the whole course).
    pages: list[tuple[dict, Callable[[], int]]] = [
        (
            {
                "url": course.get_url(request),
                "rev": _digest(
                    [course.live_revision_id, course.last_published_at, outline_rev]
                    + [statics_rev]
                ),
                "kind": "page",
            },
            partial(_course_bytes, course, outline, request),
        )
    ]
    for pk in ids:
        lesson = lessons[pk]
        for block in lesson.body:
            if block.block_type == "image" and block.value["image"] is not None:
                images.setdefault(block.value["image"].pk, block.value["image"])
            elif block.block_type == "document" and block.value["document"]:
                document_ids.add(block.value["document"].pk)
            elif block.block_type == "rich_text":  # its links to documents
                document_ids.update(
                    int(found) for found in DOCUMENT_LINK.findall(block.value.source)
                )
        pages.append(
            (
                {
                    "url": lesson.get_url(request),
                    "rev": _digest(
                        [lesson.live_revision_id, lesson.last_published_at]
                        + [outline_rev, statics_rev]
                    ),
                    "kind": "page",
                },
                partial(_lesson_bytes, lesson, course, outline, request),
            )
        )
    entries = _sized(pages) + _image_entries(list(images.values())) + static_entries
    documents = _document_entries(document_ids)
    return {
        "course": course.pk,
        "title": course.title,
        "url": course.get_url(request),
        "cache": cache_name(course.pk),
        "version": _digest(
            [course.pk] + [(e["url"], e["rev"]) for e in entries + documents]
        ),
        "entries": entries,
        "documents": documents,
    }


def course_offline_manifest(
    *, course: CoursePage, request, include_documents: bool = False
) -> dict:
    """What the phone stores to keep `course` (the caller has checked the
    reader's seat: `course_get_for_keeping`): {course, title, url, cache,
    version, entries: [{url, bytes, rev, kind}], bytes (their total),
    documents_bytes (what the documents would add), documents_included}.
    The documents are among the entries only with `include_documents`; the
    version is the same either way."""
    static_entries = _static_entries()
    key = f"relais:offline:{course.pk}:{_fingerprint(course, static_entries)}"
    try:
        built = cache.get(key)
    except Exception:  # noqa: BLE001 - the manifest works without the cache
        logger.warning("cache unavailable: offline manifest built uncached")
        built = None
    if built is None:
        with translation.override(course.locale.language_code):
            built = _build(course, static_entries, request)
        try:
            cache.set(key, built, CACHE_TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable: offline manifest not stored")
    entries = built["entries"] + (built["documents"] if include_documents else [])
    return {
        "course": built["course"],
        "title": built["title"],
        "url": built["url"],
        "cache": built["cache"],
        "version": built["version"],
        "entries": entries,
        "bytes": sum(entry["bytes"] for entry in entries),
        "documents_bytes": sum(entry["bytes"] for entry in built["documents"]),
        "documents_included": include_documents,
    }


def course_keep_panel(*, course: CoursePage, request) -> dict:
    """What the course page shows a seated participant to keep the course:
    the manifest's URL and the sizes, before anything is downloaded."""
    from django.urls import reverse

    manifest = course_offline_manifest(course=course, request=request)
    return {
        "course_id": course.pk,
        "cache": manifest["cache"],
        "manifest_url": reverse(
            "course_offline_manifest", kwargs={"course_id": course.pk}
        ),
        "bytes": manifest["bytes"],
        "documents_bytes": manifest["documents_bytes"],
    }
