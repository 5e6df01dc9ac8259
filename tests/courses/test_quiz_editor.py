"""The quiz as an editor builds it (issue 18, item 15): a new question starts
with the two answers it needs, a collapsed answer or question is summarised
by its text, and "(choose all that apply)" is not added to a question that
already says it."""

from __future__ import annotations

from wagtail.blocks.list_block import ListBlockAdapter
from wagtail.blocks.struct_block import StructBlockAdapter

from courses.blocks import AnswerBlock, QuestionBlock, QuizBlock
from tests.factories import quiz_block_value


def test_a_new_question_starts_with_two_empty_answers():
    answers = QuestionBlock().child_blocks["answers"]
    default = answers.get_default()
    assert len(default) == 2 >= answers.meta.min_num
    assert [answer["text"] for answer in default] == ["", ""]
    # What the editor's client fills a newly added question with.
    questions = QuizBlock().child_blocks["questions"]
    new_question = ListBlockAdapter().js_args(questions)[2]
    assert len(new_question["answers"]) == 2


def test_collapsed_answers_and_questions_are_summarised_by_their_text():
    for block in (AnswerBlock(), QuestionBlock()):
        meta = StructBlockAdapter().js_args(block)[2]
        assert meta["labelFormat"] == "{text}"


def test_the_choose_all_hint_is_shown_once(client, participant, allow, lessons):
    lesson = lessons[-1]
    value = quiz_block_value()
    value["questions"][1]["text"] = "Which apply? (Choose all that apply)"
    value["questions"].append(
        {
            "text": "Which are services?",
            "kind": "multiple",
            "answers": [
                {"text": "Schools", "correct": True, "feedback": ""},
                {"text": "Clinics", "correct": True, "feedback": ""},
            ],
        }
    )
    lesson.body = [("quiz", value)]
    lesson.save_revision().publish()
    client.force_login(participant)
    html = client.get(lesson.url).content.decode()
    # Written by the editor once, added by the page to the other question.
    assert html.casefold().count("choose all that apply") == 2
    assert "Which are services? <span" in html
