from tests.factories import course_lessons, make_course


def test_make_course_builds_a_published_tree(db):
    course = make_course(modules=3, lessons_per_module=2, quiz_in_last_lesson=True)
    lessons = course_lessons(course)
    assert len(lessons) == 6
    assert [lesson.title for lesson in lessons[:2]] == ["Lesson 1.1", "Lesson 1.2"]
    assert lessons[-1].quizzes and not lessons[0].quizzes
    assert course.live and course.get_parent().slug == "courses"
