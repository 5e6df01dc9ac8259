"""The catalogue page: the root of the courses."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .courses import CoursePage
from .lessons import LessonPage, ModulePage


class CourseIndexPage(Page):
    """The catalogue (/courses/)."""

    intro = RichTextField(_("intro"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    page_description = _(
        "The list of courses of one language, under its home page. Pages go: "
        "catalogue → course → module → lesson."
    )
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def route(self, request, path_components):
        """Wagtail's `Page.route`, in one query for the pages below the
        catalogue. Wagtail's own walks down one level at a time (two queries
        per level: the child by slug, then its specific type); here each depth
        holds one page type (`subpage_types`: course, module, lesson), so the
        page is looked up by that type and its `url_path`, which Wagtail keeps
        equal to the slugs from the site root down. Then, as in Wagtail, the
        page answers for itself (404 unless live). Deeper paths take Wagtail's
        way."""
        types = (CoursePage, ModulePage, LessonPage)
        if not path_components or len(path_components) > len(types):
            return super().route(request, path_components)
        model = types[len(path_components) - 1]
        page = (
            model.objects.descendant_of(self)
            .filter(
                slug=path_components[-1],
                url_path=self.url_path + "/".join(path_components) + "/",
            )
            .first()
        )
        if page is None:
            raise Http404
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        filters = selectors.catalogue_filters_from(request.GET)
        context.update(
            filters=filters,
            courses=selectors.catalogue_courses(
                filters=filters, language=self.locale.language_code
            ),
            topics=selectors.catalogue_topics(),
            language_choices=settings.LANGUAGES,
            kind_choices=CoursePage.Kind.choices,
        )
        return context
