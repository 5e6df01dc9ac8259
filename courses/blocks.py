"""Lesson body blocks. Each block has its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("For people who cannot play or hear the video."),
    )

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=200)
    description = blocks.CharBlock(
        label=_("Description"), required=False, max_length=300
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document download")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("key_point", _("Key point")),
            ("example", _("Example from practice")),
            ("warning", _("Caution")),
        ],
        default="key_point",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "ol", "ul", "link"]
    )

    class Meta:
        icon = "pick"
        template = "blocks/callout_block.html"
        label = _("Callout / key point")


EMPTY_ANSWER = {"text": "", "correct": False, "feedback": ""}


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("Feedback"),
        required=False,
        max_length=500,
        help_text=_("Shown after the answer is submitted."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Answer")
        # A collapsed answer is summarised by its text, not by "Yes"/"No".
        label_format = "{text}"


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Question"), max_length=500)
    kind = blocks.ChoiceBlock(
        choices=[("single", _("Single choice")), ("multiple", _("Multiple choice"))],
        default="single",
        label=_("Kind"),
    )
    # A question needs two answers: a new one starts with two empty ones.
    answers = blocks.ListBlock(
        AnswerBlock(),
        min_num=2,
        default=[EMPTY_ANSWER, EMPTY_ANSWER],
        label=_("Answers"),
    )

    class Meta:
        icon = "help"
        label = _("Question")
        label_format = "{text}"


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"), min_value=0, max_value=100, default=70
    )
    max_attempts = blocks.IntegerBlock(
        label=_("Attempts allowed"),
        required=False,
        min_value=1,
        help_text=_(
            "Leave empty for unlimited attempts (in a train-the-trainer course: "
            "the platform's limit, 3 unless set otherwise)."
        ),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Questions"))

    class Meta:
        icon = "tasks"
        template = "blocks/quiz_block.html"
        label = _("Quiz")


class RelatedResourcesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    resources = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="resources.ResourcePage"),
        label=_("Resources"),
    )

    class Meta:
        icon = "link"
        template = "blocks/related_resources_block.html"
        label = _("Related resources")


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="blocks/rich_text_block.html",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quiz = QuizBlock()
    related_resources = RelatedResourcesBlock()
