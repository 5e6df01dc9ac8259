from urllib.parse import urlsplit

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict lookup by a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def says_choose_all(question_text) -> bool:
    """True when the editor already wrote "(choose all that apply)", in the
    reader's language or in English, so the page does not add it twice."""
    from django.utils.translation import gettext

    text = str(question_text or "").casefold()
    hints = {gettext("choose all that apply").casefold(), "choose all that apply"}
    return any(hint in text for hint in hints)


@register.simple_tag
def lesson_outline(outline, done_ids=None, current=None, module_percent=None):
    """The lesson page's course outline: modules with their lessons, done
    lessons marked, the current one `aria-current="page"`.

    Built in Python with the standard library's `html.escape` (what Django's
    `escape` calls) rather than with template loops or `format_html`: a course
    of a hundred lessons otherwise spends most of its page's time resolving
    template variables. Every title and URL is escaped here; nothing from the
    outline reaches the page unescaped. `outline` is
    `courses.selectors.course_outline_cached`'s."""
    from html import escape

    from django.utils.translation import gettext

    done_ids = done_ids or set()
    module_percent = module_percent or {}
    done_label = f'<span class="visually-hidden"> ({escape(gettext("done"))})</span>'
    parts = ["<ol>"]
    for module in outline:
        pct = module_percent.get(module.pk)
        meta = f' <span class="meta">{int(pct)}%</span>' if pct is not None else ""
        parts.append(
            f'<li><span class="outline-module">{escape(module.title)}{meta}</span>\n<ol>'
        )
        for lesson in module.lessons:
            done = lesson.pk in done_ids
            parts.append(
                '<li{}><a href="{}"{}>{}</a>{}</li>'.format(
                    ' class="done"' if done else "",
                    escape(lesson.url),
                    ' aria-current="page"' if lesson.pk == current else "",
                    escape(lesson.title),
                    done_label if done else "",
                )
            )
        parts.append("</ol>\n</li>")
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@register.inclusion_tag("courses/includes/content_language_notice.html")
def content_language_notice(page, what="page"):
    """The notice on a course, module or lesson page whose content is in
    another language than the interface (an alias of a course not yet
    translated into the reader's language; courses/languages.py). `what` is
    "course" on the course page."""
    from django.utils.translation import get_language, get_language_info

    from courses.languages import content_language, shows_source_content

    if not shows_source_content(page):
        # Its own content, served under its own locale's prefix: no notice,
        # and no query for the page's locale.
        return {"notice": None}
    content = content_language(page)
    interface = (get_language() or "").split("-")[0]
    if not interface or content == interface:
        return {"notice": None}
    return {
        "notice": True,
        "what": what,
        "content": content,
        "content_name": str(get_language_info(content)["name_translated"]).lower(),
        "interface_name": str(get_language_info(interface)["name_translated"]).lower(),
    }


@register.filter(name="content_language")
def content_language_filter(page) -> str:
    """`{{ page|content_language }}`: the language code of the page's content
    (its source's for an alias; courses/languages.py)."""
    from courses.languages import content_language

    return content_language(page)


@register.filter
def video_provider(url) -> str:
    """The host a video link leads to ("youtube.com"), named without a fetch."""
    host = urlsplit(str(url)).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")
