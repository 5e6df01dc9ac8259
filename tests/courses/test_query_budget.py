"""Catalogue, course and lesson pages run a fixed number of queries: the
same with 5 lessons as with 50 (and more courses)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import LessonPage, ModulePage
from tests.factories import course_lessons, make_course


def grow(course, *, modules, lessons_per_module):
    for m in range(modules):
        module = ModulePage(title=f"Extra {m}", slug=f"extra-{m}", locale=course.locale)
        course.add_child(instance=module)
        module.save_revision().publish()
        for n in range(lessons_per_module):
            lesson = LessonPage(
                title=f"Extra {m}.{n}",
                slug=f"extra-{m}-{n}",
                locale=course.locale,
                body=[("rich_text", "<p>More.</p>")],
            )
            module.add_child(instance=lesson)
            lesson.save_revision().publish()


def count(client, url, status=200):
    client.get(url)  # warm the site-root and rendition caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return len(queries)


def measure(client, course, lesson):
    return (
        count(client, "/en/courses/"),
        count(client, course.url),
        count(client, lesson.url),
    )


def test_page_query_counts_do_not_grow_with_lessons_or_courses(
    client, site, participant, allow, editor
):
    course = make_course(
        title="Budget", modules=1, lessons_per_module=5, quiz_in_last_lesson=True
    )
    lesson = course_lessons(course)[-1]  # has a quiz
    client.force_login(allow)
    small_user = measure(client, course, lesson)
    client.force_login(editor)
    small_editor = measure(client, course, lesson)
    client.logout()
    small_anon = (count(client, "/en/courses/"), count(client, course.url))

    grow(course, modules=5, lessons_per_module=9)  # 50 lessons
    for n in range(4):
        make_course(title=f"Other {n}", modules=2, lessons_per_module=2)
    assert len(course_lessons(course)) == 50

    client.force_login(allow)
    assert measure(client, course, lesson) == small_user
    client.force_login(editor)
    assert measure(client, course, lesson) == small_editor
    client.logout()
    assert (count(client, "/en/courses/"), count(client, course.url)) == small_anon
    print(
        "\nquery counts (catalogue, course, lesson):",
        "anonymous",
        small_anon,
        "allowed participant",
        small_user,
        "editor",
        small_editor,
    )
