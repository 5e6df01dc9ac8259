"""Bad input is a message, never a 500.

Every URL pattern of Relais (its own views, the Wagtail page routes, the
admin views Relais adds, allauth's pages) is asked for by an anonymous
visitor, a participant, a trainer and programme staff with hostile values:
a NUL byte, a 10,000-character string, a negative number, a word where a
number belongs, a number no column holds, and dates at both ends of the
calendar. They go into every path parameter, into common query parameters,
and into every field of every form a page renders (GET and POST). Each
answer must be below 500 and nothing may be logged at ERROR (but for
Django's own refusals under django.security, which answer 400)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, SoupStrainer
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone

from tests.conftest import reauthenticate
from tests.factories import (
    UserFactory,
    course_lessons,
    make_cohort,
    make_course,
    make_enrolment,
    make_resource,
)

HOSTILE = (
    "\x00",
    "x" * 10_000,
    "-1",
    "abc",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
)

# Each field of a form gets these alone, the other fields at the values the
# page gave them (what passes the other checks and reaches the save or the
# query): text for a column, a number for an integer, a date past the last
# day. Every value of HOSTILE also goes into all the fields at once.
PER_FIELD = ("\x00", "x" * 10_000, "99999999999999999999", "9999-12-31")

# What an empty field of a page's form is given, so that the rest of a form
# passes and the hostile field reaches the save (never a password).
PLAUSIBLE = {
    "text": "Sweep",
    "email": "sweep@example.org",
    "number": "1",
    "date": "2025-06-01",
}

# Query parameters views commonly read besides their forms' own fields.
COMMON_QUERY = ("q", "topic", "kind", "page", "p", "sort", "by", "next", "key")

RELAIS_APPS = {
    "accounts",
    "cascades",
    "certificates",
    "courses",
    "enrolment",
    "home",
    "relais",
    "reports",
    "resources",
}

# Asked for with hostile path values only: posting their forms would end the
# persona's session or account, and neither takes more than a confirmation.
NO_FORMS = {"account_logout", "account_delete"}

SENTINELS = ("87654321", "zzsentinelzz")


@dataclass(frozen=True)
class Route:
    name: str
    # The keyword (or, for a bare regex, positional) parameters of the path.
    params: tuple[str, ...]
    positional: bool


def _owner(pattern) -> str:
    """The app a URL pattern belongs to: its view's model's app for Wagtail's
    generic views, its view function's package otherwise."""
    model = getattr(pattern.callback, "view_initkwargs", {}).get("model")
    if model is not None and hasattr(model, "_meta"):
        return model._meta.app_label
    return pattern.callback.__module__.split(".")[0]


def _walk(patterns, prefix="", namespace=None, outer=()):
    """(route, name, pattern, parameters named by the patterns it is under)."""
    for pattern in patterns:
        named = (*outer, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), ns, named
            )
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern, named


def relais_routes() -> dict[str, Route]:
    """Every named URL pattern outside Wagtail's admin, and those inside it
    that Relais adds (its own views and the viewsets of its models)."""
    routes = {}
    for prefix, name, pattern, named in _walk(get_resolver().url_patterns):
        if not name:
            continue
        if prefix.startswith("admin/") and _owner(pattern) not in RELAIS_APPS:
            continue
        groups = pattern.pattern.regex.groups
        params = named or tuple(str(i) for i in range(groups))
        routes[name] = Route(name=name, params=params, positional=not named)
    return routes


def _reverse_with_sentinels(route: Route) -> tuple[str, dict[str, str]] | None:
    """The route's path with a placeholder in each parameter, and which
    placeholder went where; None when no placeholder fits its converters."""
    for sentinel_set in _sentinel_sets(len(route.params)):
        try:
            if route.positional:
                path = reverse(route.name, args=list(sentinel_set))
            else:
                path = reverse(route.name, kwargs=dict(zip(route.params, sentinel_set)))
        except NoReverseMatch:
            continue
        return path, dict(zip(route.params, sentinel_set))
    return None


def _sentinel_sets(count: int):
    """Placeholders for `count` parameters, distinct per parameter (so that
    each can be replaced alone), numeric or not, in every mix."""
    if count == 0:
        yield ()
        return
    for sentinel in SENTINELS:
        # 87654321 -> 87654322 for the 2nd parameter; zzsentinelzz2 likewise.
        own = str(int(sentinel) + count) if sentinel.isdigit() else f"{sentinel}{count}"
        for rest in _sentinel_sets(count - 1):
            yield (own, *rest)


def hostile_paths(route: Route) -> list[str]:
    """The route's path with each parameter in turn set to each hostile value
    (the others at placeholders), kept when it still resolves to the route."""
    reversed_ = _reverse_with_sentinels(route)
    if reversed_ is None:
        return []
    path, sentinels = reversed_
    out = []
    for sentinel in sentinels.values():
        for value in HOSTILE:
            candidate = path.replace(sentinel, quote(value, safe=""), 1)
            try:
                if resolve(urlsplit(candidate).path).view_name != route.name:
                    continue
            except Resolver404:
                continue
            out.append(candidate)
    return out


@dataclass
class Sweep:
    client: Client
    persona: str
    routes: dict[str, Route]
    # The pages this persona sweeps (route name, path); the hostile paths
    # of every route are asked for by every persona.
    in_scope: Callable[[str, str], bool]
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seen_routes: set[str] = field(default_factory=set)
    seen_pages: set[str] = field(default_factory=set)
    seen_forms: set[tuple] = field(default_factory=set)

    def ask(self, method: str, url: str, data=None):
        self.requests += 1
        if method == "post":
            response = self.client.post(url, data or {})
        else:
            response = self.client.get(url, data or {})
        if response.status_code >= 500:
            shown = {k: v[:40] for k, v in (data or {}).items()}
            self.failures.append(
                f"{self.persona} {method.upper()} {url[:200]} {shown} -> "
                f"{response.status_code}"
            )
        return response

    def route_of(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            return None
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            return None
        return name if name in self.routes else None

    def visit(self, url: str) -> None:
        """Ask for a page with real values; if it answers with HTML, sweep
        its query parameters and its forms, and follow its links."""
        name = self.route_of(url)
        if name is None or not self.in_scope(name, urlsplit(url).path):
            return
        key = urlsplit(url).path if name == "wagtail_serve" else name
        if key in self.seen_pages:
            return
        self.seen_pages.add(key)
        response = self.ask("get", url)
        self.seen_routes.add(name)
        for value in HOSTILE:
            self.ask("get", url, dict.fromkeys(COMMON_QUERY, value))
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            return
        # Only forms and links are read (Wagtail's admin pages are large).
        soup = BeautifulSoup(
            response.content, "html.parser", parse_only=SoupStrainer(["form", "a"])
        )
        for form in soup.find_all("form"):
            self.sweep_form(url, form)
        for link in soup.find_all("a", href=True):
            target = urljoin(url, str(link["href"]))
            if self.route_of(target) not in (None, "wagtail_serve"):
                self.visit(target)

    def sweep_form(self, page_url: str, form) -> None:
        action = urljoin(page_url, form.get("action") or page_url)
        name = self.route_of(action)
        if name is None or name in NO_FORMS:
            return
        method = (form.get("method") or "get").lower()
        defaults: dict[str, str] = {}
        fields: list[str] = []
        for element in form.find_all(["input", "select", "textarea"]):
            field_name = element.get("name")
            kind = (element.get("type") or "").lower()
            if not field_name or kind in {"submit", "button", "image", "file"}:
                continue
            if field_name != "csrfmiddlewaretoken" and field_name not in fields:
                fields.append(field_name)
            if kind in {"checkbox", "radio"} and not element.has_attr("checked"):
                continue
            if element.name == "select":
                options = element.find_all("option")
                chosen = element.find("option", selected=True) or next(
                    (o for o in options if o.get("value")), None
                )
                defaults.setdefault(
                    field_name, chosen.get("value", "") if chosen else ""
                )
            elif element.name == "textarea":
                defaults.setdefault(field_name, element.text or PLAUSIBLE["text"])
            elif kind in {"checkbox", "radio"}:
                defaults.setdefault(field_name, element.get("value", "on"))
            else:
                value = element.get("value", "") or PLAUSIBLE.get(kind or "text", "")
                defaults.setdefault(field_name, value)
        # One form class is often rendered on several pages (a viewset's add
        # and edit views, the header search): swept once.
        signature = (method, tuple(fields))
        if not fields or signature in self.seen_forms:
            return
        self.seen_forms.add(signature)
        self.seen_routes.add(name)
        for value in HOSTILE:
            self.ask(method, action, {**defaults, **dict.fromkeys(fields, value)})
        for field_name in fields:
            for value in PER_FIELD:
                self.ask(method, action, {**defaults, field_name: value})

    def sweep_paths(self) -> None:
        for route in self.routes.values():
            if route.name == "wagtail_serve":
                continue
            for path in hostile_paths(route):
                self.seen_routes.add(route.name)
                self.ask("get", path)
                if route.name not in NO_FORMS:
                    self.ask("post", path, {"x": "1"})


@pytest.fixture
def world(site, participant, trainer, admin_user):
    """A small programme with something behind every kind of URL."""
    from cascades.models import SessionAttendee, TrainingSession
    from cascades.services import qualification_grant
    from certificates.models import Certificate
    from enrolment.models import Invitation
    from reports.models import ExportJob

    course = make_course(title="Hostile course", quiz_in_last_lesson=True)
    enrolment = make_enrolment(user=participant, course=course)
    Certificate.objects.create(
        enrolment=enrolment,
        user=participant,
        code="HOSTILE1",
        status="issued",
        issued_at=timezone.now(),
    )
    qualification_grant(user=trainer, course=course, granted_by=admin_user)
    cohort = make_cohort(
        course=course, name="Trainer cohort", country="UG", trainer=trainer
    )
    make_enrolment(user=UserFactory(), course=course, cohort=cohort)
    session = TrainingSession.objects.create(
        cohort=cohort, held_on=timezone.now().date(), place="Gulu", duration_hours=2
    )
    SessionAttendee.objects.create(session=session, name="A", email="a@example.org")
    invitation = Invitation.objects.create(
        cohort=cohort,
        email="guest@example.org",
        token="hostile-invitation-token",
        invited_by=trainer,
        created_at=timezone.now(),
    )
    ExportJob.objects.create(requested_by=admin_user, kind="enrolments", format="csv")
    resource = make_resource(title="Hostile resource")
    lessons = course_lessons(course)
    # One page of each type (and both kinds of lesson: with and without a quiz).
    pages = [course.get_parent().get_parent(), course.get_parent(), course]
    pages += [lessons[0].get_parent(), lessons[0], lessons[-1]]
    pages += [resource.get_parent(), resource]
    return {"pages": [page.url for page in pages], "invitation": invitation}


SCOPES: dict[str, Callable[[str, str], bool]] = {
    "staff": lambda name, path: path.startswith("/admin/"),
    "anonymous": lambda name, path: True,
    "participant": lambda name, path: (
        not (path.startswith("/admin/") or name.startswith("trainer_"))
    ),
    "trainer": lambda name, path: name.startswith("trainer_"),
}


def _start_urls(routes: dict[str, Route], world) -> list[str]:
    urls = [reverse(r.name) for r in routes.values() if not r.params]
    urls += world["pages"]
    urls += [
        reverse("invitation", kwargs={"token": world["invitation"].token}),
        reverse("certificate_verify", kwargs={"code": "HOSTILE1"}),
    ]
    return urls


# One test per persona: `make test` spreads them over its workers.
@pytest.mark.parametrize("persona", list(SCOPES))
def test_no_url_answers_hostile_input_with_a_server_error(
    persona, world, participant, trainer, admin_user, caplog
):
    caplog.set_level(logging.ERROR)
    routes = relais_routes()
    in_scope = SCOPES[persona]
    logins = {"participant": participant, "trainer": trainer, "staff": admin_user}
    client = Client(raise_request_exception=False)
    if persona in logins:
        client.force_login(logins[persona])
    if persona == "staff":
        reauthenticate(client)
    sweep = Sweep(client=client, persona=persona, routes=routes, in_scope=in_scope)
    for url in _start_urls(routes, world):
        sweep.visit(url)
    sweep.sweep_paths()
    assert sweep.requests > 100
    # It reached what it claims to: every route of its scope (and the
    # parameters of every route), with hostile values.
    expected = {
        name
        for name, route in routes.items()
        if route.params or in_scope(name, reverse(name))
    }
    missing = expected - sweep.seen_routes - {"wagtail_serve"}
    assert not missing, sorted(missing)
    # Django logs a refused suspicious request (a redirect past 16,384
    # characters to a login page's `next`) at ERROR under django.security,
    # and answers it with a 400: that is the refusal, not a failure.
    errors = [
        f"{r.name}: {r.getMessage()[:200]}"
        for r in caplog.records
        if r.levelno >= logging.ERROR and not r.name.startswith("django.security.")
    ]
    assert not sweep.failures, "\n".join(sweep.failures[:80])
    assert not errors, "\n".join(errors[:40])
