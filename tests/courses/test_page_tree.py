import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from home.models import HomePage
from tests.factories import catalogue


@pytest.fixture
def tree(course):
    module = ModulePage.objects.child_of(course).first()
    return {
        "root": Page.get_first_root_node(),
        "home": HomePage.objects.get(locale__language_code="en"),
        "index": catalogue("en"),
        "course": course,
        "module": module,
        "lesson": LessonPage.objects.child_of(module).first(),
    }


@pytest.mark.parametrize(
    ("model", "allowed_parent"),
    [
        (CourseIndexPage, "home"),
        (CoursePage, "index"),
        (ModulePage, "course"),
        (LessonPage, "module"),
    ],
)
def test_each_page_type_can_be_created_only_under_its_parent_type(
    tree, model, allowed_parent
):
    for name, parent in tree.items():
        if name == allowed_parent or name == "root":
            continue
        assert not model.can_create_at(parent.specific), (model, name)
    if model is CourseIndexPage:
        # one catalogue per home page: the existing one blocks a second
        assert not model.can_create_at(tree["home"])
        assert model in HomePage.allowed_subpage_models()
    else:
        assert model.can_create_at(tree[allowed_parent])


def test_a_lesson_cannot_hold_children(tree):
    assert LessonPage.allowed_subpage_models() == []


def test_a_course_cannot_sit_directly_under_the_home_page(tree):
    assert not CoursePage.can_create_at(tree["home"])
    assert not LessonPage.can_create_at(tree["course"])
