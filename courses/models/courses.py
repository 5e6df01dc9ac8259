"""A course page and its tags."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..page_forms import CoursePageForm


class CourseTag(TaggedItemBase):
    # A ParentalKey, so that tags live in the page's revisions and the admin
    # can edit them with the page (ClusterTaggableManager needs it).
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(Page):
    class Kind(models.TextChoices):
        SELF_PACED = "self_paced", _("Self-paced online")
        TRAIN_THE_TRAINER = "train_the_trainer", _("Train-the-trainer")
        BLENDED = "blended", _("Blended")

    class EnrolmentMode(models.TextChoices):
        # "" follows the kind, so that a new train-the-trainer course is closed
        # to self-enrolment unless an editor opens it on purpose.
        BY_KIND = (
            "",
            _(
                "By the kind of course: open, except a train-the-trainer course "
                "(an enrolment key or an invitation)"
            ),
        )
        OPEN = "open", _("Open: anyone signed in may enrol")
        KEY = "key", _("An enrolment key or an invitation")
        INVITATION = "invitation", _("An invitation only")
        APPROVAL = (
            "approval",
            _("A request approved by the programme staff (or a key or an invitation)"),
        )

    summary = models.TextField(_("summary"), max_length=600)
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["ul", "ol", "bold", "italic"]
    )
    tags = ClusterTaggableManager(
        through=CourseTag, blank=True, verbose_name=_("topics")
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=Kind.choices,
        default=Kind.SELF_PACED,
        db_index=True,
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    cover_alt = models.CharField(
        _("cover image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Required when there is a cover image."),
    )
    enrolment_mode = models.CharField(
        _("how participants join"),
        max_length=16,
        choices=EnrolmentMode.choices,
        default=EnrolmentMode.BY_KIND,
        blank=True,
        help_text=_(
            "Staff can always enrol people and import lists; trainers' "
            "invitations are always accepted."
        ),
    )
    require_quiz_pass = models.BooleanField(
        _("quizzes must be passed"),
        default=True,
        help_text=_(
            "The course is complete when every lesson is done and, if ticked, "
            "every quiz is passed at or above its pass mark."
        ),
    )
    certificate_enabled = models.BooleanField(_("issue certificates"), default=True)
    certificate_wording = models.TextField(
        _("certificate wording"),
        blank=True,
        help_text=_("Printed under the participant's name."),
    )
    certificate_signatory = models.CharField(
        _("signatory name"), max_length=200, blank=True
    )
    certificate_signatory_title = models.CharField(
        _("signatory title"), max_length=200, blank=True
    )
    qualifies_for = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="qualified_by",
        verbose_name=_("qualifies trainers to deliver"),
        help_text=_(
            "For a train-the-trainer course: the courses its graduates may deliver."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("kind"),
        index.FilterField("locale_id"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("enrolment_mode"),
                FieldPanel("estimated_hours"),
                FieldPanel("tags"),
            ],
            heading=_("About the course"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_alt")],
            heading=_("Cover image"),
        ),
        MultiFieldPanel(
            [FieldPanel("require_quiz_pass"), FieldPanel("qualifies_for")],
            heading=_("Completion and qualification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_enabled"),
                FieldPanel("certificate_wording"),
                FieldPanel("certificate_signatory"),
                FieldPanel("certificate_signatory_title"),
            ],
            heading=_("Certificate"),
        ),
    ]
    page_description = _(
        "A course, added in the course catalogue; it holds modules. Pages go: "
        "catalogue → course → module → lesson."
    )
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    base_form_class = CoursePageForm
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.cover_image_id and not self.cover_alt.strip():
            raise ValidationError(
                {
                    "cover_alt": _(
                        "Describe the cover image for people who cannot see it."
                    )
                }
            )

    @property
    def language_code(self) -> str:
        return self.locale.language_code

    def get_context(self, request, *args, **kwargs):
        from .. import access, selectors

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context.update(
            outline=selectors.course_outline_cached(course=self),
            translations=list(selectors.course_translations(course=self))
            if self.pk
            else [],
            topics=[item.tag for item in self.tagged_items.select_related("tag")],
            enrolment_panel=access.course_enrolment_panel.call(
                default=None, user=user, course=self, request=request
            ),
            progress=access.lesson_progress_provider.call(
                default=None, user=user, course=self, lesson=None, grant=None
            )
            if user.is_authenticated
            else None,
        )
        panel = context["enrolment_panel"] or {}
        if self.pk and panel.get("status") in {"active", "completed"}:
            # "Keep this course on my phone", with its size (courses/offline.py).
            from .. import offline

            context["keep"] = offline.course_keep_panel(course=self, request=request)
        return context

    @property
    def is_train_the_trainer(self) -> bool:
        return self.kind == self.Kind.TRAIN_THE_TRAINER

    @property
    def effective_enrolment_mode(self) -> str:
        """`enrolment_mode`, with "by kind" resolved: a train-the-trainer
        course needs a key or an invitation, any other course is open."""
        if self.enrolment_mode:
            return self.enrolment_mode
        if self.is_train_the_trainer:
            return self.EnrolmentMode.KEY
        return self.EnrolmentMode.OPEN

    @property
    def allows_self_enrolment(self) -> bool:
        return self.effective_enrolment_mode == self.EnrolmentMode.OPEN

    @property
    def allows_enrolment_key(self) -> bool:
        return self.effective_enrolment_mode in {
            self.EnrolmentMode.OPEN,
            self.EnrolmentMode.KEY,
            self.EnrolmentMode.APPROVAL,
        }

    @property
    def needs_approval(self) -> bool:
        """Participants ask to join; staff approve or refuse the request."""
        return self.effective_enrolment_mode == self.EnrolmentMode.APPROVAL
