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
