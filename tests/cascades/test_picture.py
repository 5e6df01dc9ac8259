"""The cascade as a picture (cascades/picture.py): an inline SVG that is
well-formed, self-contained, states the reach table's figures, names nobody
on the public page, and is shown only to the cascade's own trainer."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cascades.selectors import cascade_reach_by_course, cascade_reach_for_trainer
from demo import cascades as demo

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str, picture_id: str = "cascade-picture") -> ET.Element:
    """The picture's <svg> element, parsed as XML (fails if malformed)."""
    match = re.search(rf'<svg [^>]*id="{picture_id}".*?</svg>', html, re.S)
    assert match, "no picture on the page"
    return ET.fromstring(match.group(0))


def attr(element: ET.Element | None, name: str) -> str:
    assert element is not None
    value = element.get(name)
    assert value is not None, name
    return value


def number(pattern: str, text: str | None) -> int:
    found = re.search(pattern, text or "")
    assert found, (pattern, text)
    return int(found.group(1))


def generation_figures(svg: ET.Element) -> dict[int, int]:
    heads = svg.iterfind(f".//{SVG}g[@class='cascade-generations']/{SVG}text")
    figures = {}
    for text in heads:
        shown = number(r":\s*(\d+)", text.text)
        assert shown == int(attr(text, "data-reached"))
        figures[int(attr(text, "data-generation"))] = shown
    return figures


def disc_figures(svg: ET.Element) -> list[tuple[int, int]]:
    """(generation, people reached) of every cohort drawn, read from the
    label text beside each disc."""
    out = []
    for g in svg.iterfind(f".//{SVG}g[@class='cascade-discs']/{SVG}g"):
        label = g.findtext(f"{SVG}text") or ""
        numbers = re.findall(r"(?:^|· )(\d+)(?: ·|$)", label)
        out.append((int(attr(g, "data-generation")), int(numbers[0])))
    return out


def test_the_trainers_picture_is_well_formed_svg_with_title_and_desc(
    client, demo_cascade
):
    client.force_login(demo_cascade)
    svg = svgs(client.get(reverse("trainer_cascade")).content.decode())
    assert svg.tag == f"{SVG}svg"
    assert (svg.find(f"{SVG}title").text or "").strip()
    assert (svg.find(f"{SVG}desc").text or "").strip()
    assert "reach-generations" in svg.get("aria-describedby")


def test_the_picture_references_nothing_outside_the_page(client, demo_cascade):
    client.force_login(demo_cascade)
    html = client.get(reverse("trainer_cascade")).content.decode()
    svg = svgs(html)
    for element in svg.iter():
        assert "style" not in element.attrib  # the CSP forbids style=
        for name, value in element.attrib.items():
            assert not name.endswith("href") and name != "src"
            assert "url(" not in value and "http" not in value.replace(
                "http://www.w3.org/2000/svg", ""
            )
    assert "<script" not in re.search(r"<svg .*?</svg>", html, re.S).group(0)


def test_the_trainers_picture_states_the_reach_table_figures(client, demo_cascade):
    client.force_login(demo_cascade)
    response = client.get(reverse("trainer_cascade"))
    svg = svgs(response.content.decode())
    reach = cascade_reach_for_trainer(user=demo_cascade)
    table = {g: f.reached for g, f in reach.generations()}
    assert generation_figures(svg) == table
    drawn: dict[int, int] = {}
    for generation, reached in disc_figures(svg):
        drawn[generation] = drawn.get(generation, 0) + reached
    assert drawn == table  # every cohort drawn: the discs add up to the table
    # the table on the page says the same
    html = response.content.decode()
    for generation, reached in table.items():
        assert re.search(
            rf"<tr><th scope=\"row\">{generation}</th><td>\d+</td><td>\d+</td>"
            rf"<td>{reached}</td>",
            html,
        )


def test_the_whole_programme_picture_adds_up_to_every_cascade(demo_cascade):
    from cascades.picture import cascade_picture
    from cascades.selectors import cascade_tree

    cascades = cascade_reach_by_course()
    by_cohort = {}
    by_generation: dict[int, int] = {}
    for cascade in cascades:
        by_cohort.update(cascade.reach.by_cohort)
        for g, f in cascade.reach.by_generation.items():
            by_generation[g] = by_generation.get(g, 0) + f.reached
    roots, truncated = cascade_tree()
    picture = cascade_picture(
        roots=roots,
        cohort_reach=by_cohort,
        generation_reach=by_generation,
        names=False,
    )
    assert not truncated
    assert sum(d.reached for d in picture.discs) == picture.reached
    assert picture.reached == sum(c.reach.total.reached for c in cascades)
    assert all(d.name == "" for d in picture.discs)


def test_an_outsider_sees_only_their_own_empty_cascade(client, demo_cascade, outsider):
    client.force_login(outsider)
    response = client.get(reverse("trainer_cascade"))
    assert response.status_code == 200
    assert 'id="cascade-picture"' not in response.content.decode()
    cohort = demo_cascade.cohorts_trained.first()
    assert client.get(reverse("trainer_cohort", args=[cohort.pk])).status_code == 404


@pytest.fixture
def another_trainer(demo_cascade, trainer):
    """`trainer`, qualified for the workshop, with a root cohort of their own."""
    from django.utils import timezone

    from cascades.models import TrainerQualification
    from courses.models import CoursePage
    from tests.factories import make_cohort

    workshop = CoursePage.objects.get(slug=demo.WORKSHOP_SLUG)
    TrainerQualification.objects.create(
        user=trainer, course=workshop, granted_at=timezone.now()
    )
    make_cohort(course=workshop, name="Tina's own", trainer=trainer, country="CM")
    return trainer


def test_another_trainer_cannot_open_the_demo_trainers_cohorts(
    client, demo_cascade, another_trainer
):
    client.force_login(another_trainer)
    body = client.get(reverse("trainer_cascade")).content.decode()
    labels = [t.text or "" for t in svgs(body).iter(f"{SVG}text")]
    assert any(label.startswith("Tina's own") for label in labels)  # unescaped
    for cohort in demo_cascade.cohorts_trained.all():
        assert cohort.name not in body
        url = reverse("trainer_cohort", args=[cohort.pk])
        assert client.get(url).status_code == 404


def test_the_admin_report_picture_states_the_report_figures(
    client, demo_cascade, admin_user
):
    from reports.cascade import cascade_summary
    from reports.filters import ReportFilters

    client.force_login(admin_user)
    response = client.get("/admin/programme-reports/cascades/")
    assert response.status_code == 200
    html = response.content.decode()
    svg = svgs(html)
    summary = cascade_summary(ReportFilters())
    table = {r["generation"]: r["reach"] for r in summary["by_generation"]}
    assert generation_figures(svg) == table
    assert sum(table.values()) == summary["reach"]
    assert 'id="cascade-generations"' in html  # the text alternative it names


def test_the_public_impact_page_picture_names_nobody(client, demo_cascade):
    from demo import reports as demo_reports
    from enrolment.models import Cohort, Enrolment

    demo_reports.load(stdout=io.StringIO(), debug=False)
    response = client.get("/en/impact/")
    assert response.status_code == 200
    html = response.content.decode()
    svg = svgs(html)
    text = " ".join(
        "".join(el.itertext())
        for el in svg.iter()
        if el.tag in {f"{SVG}text", f"{SVG}title"}
    )
    people = Enrolment.objects.select_related("user")
    names = {e.user.last_name for e in people if e.user.last_name}
    names |= {e.user.first_name for e in people if e.user.first_name}
    # "Costa" is a surname and half of Costa Rica, which the legend names.
    from django_countries import countries

    places = {
        w for code, *_ in demo.COUNTRIES for w in str(countries.name(code)).split()
    }
    words = set(re.findall(r"\w+", text)) - places
    assert names and not names & words, names & words
    full = {f"{e.user.first_name} {e.user.last_name}" for e in people}
    assert not any(name in text for name in full)
    assert not any(c.name in text for c in Cohort.objects.all())
    assert "@" not in text
    # its counts are the programme's, by generation
    summary_reach = int(
        re.search(r'data-number="cascade_reach">([\d,]+)<', html)
        .group(1)
        .replace(",", "")
    )
    assert sum(generation_figures(svg).values()) == summary_reach
