"""The cascade as a picture: the geometry of an inline SVG tree, rendered by
`templates/cascades/_picture.html` (Django's autoescaping makes every label
XML-safe; nothing here builds markup).

Generations run left to right from the top of the tree; each cohort (with its
sessions) is a disc whose area is proportional to the people it reached,
counted by `cascades.selectors` (a person in the cohort where first seen), and
whose colour is its country's. The column headings carry each generation's
total, so the picture states the same figures as the reach table beside it.
Colours are presentation attributes (`fill=`): the CSP allows no `style=`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django_countries import countries

from .selectors import Figures, TreeNode

# Okabe–Ito colours, told apart with the common colour-vision deficiencies.
PALETTE = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#56b4e9",
    "#8a7a00",
    "#6a3d9a",
]
NOT_STATED = "#8c959b"
ROW = 30
COLUMN = 210
COLUMN_COUNTS_ONLY = 150
MAX_RADIUS = 12.0
MIN_RADIUS = 3.0
LEGEND_ROW = 22
LEGEND_PER_ROW = 3
LEGEND_WIDTH = 190
NAME_CHARS = 26


@dataclass
class Disc:
    x: float
    y: float
    r: float
    fill: str
    generation: int
    country: str
    reached: int
    sessions: int
    name: str = ""  # empty when the picture shows counts only
    parent: bool = False  # lines leave it to the right: its label goes above

    @property
    def label_x(self) -> float:
        return round(self.x - MAX_RADIUS if self.parent else self.x + MAX_RADIUS + 4, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - MAX_RADIUS - 3 if self.parent else self.y + 4, 1)


@dataclass
class Edge:
    """A curve from a cohort to one opened by its trainers: `d` is the path
    data (numbers only)."""

    d: str


def _edge(x1: float, y1: float, x2: float, y2: float) -> Edge:
    return Edge(
        d=f"M{x1:.1f},{y1:.1f} C{x2:.1f},{y1:.1f} {x1:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    )


@dataclass
class Column:
    x: float
    generation: int
    reached: int


@dataclass
class Swatch:
    x: float
    y: float
    fill: str
    country: str

    @property
    def label_x(self) -> float:
        return self.x + 18

    @property
    def label_y(self) -> float:
        return self.y + 10


@dataclass
class Picture:
    width: int
    height: int
    discs: list[Disc] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    legend: list[Swatch] = field(default_factory=list)
    heading_y: int = 0
    reached: int = 0
    truncated: bool = False

    @property
    def generations(self) -> int:
        return len(self.columns)


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _country_colours(codes: set[str]) -> dict[str, str]:
    named = sorted((c for c in codes if c), key=lambda c: str(countries.name(c)))
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(named)}
    colours[""] = NOT_STATED
    return colours


def _walk(nodes: list[TreeNode]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def cascade_picture(
    *,
    roots: list[TreeNode],
    cohort_reach: dict[int, Figures],
    generation_reach: dict[int, int],
    names: bool,
    truncated: bool = False,
) -> Picture:
    """The picture of the trees under `roots` (`selectors.cascade_tree`).
    `cohort_reach` is `Reach.by_cohort`; `generation_reach` the people
    reached per generation, which heads each column (every cohort counted,
    also those a truncated tree does not draw). `names=False` draws counts
    and countries only, for the public page."""
    cohorts = list(_walk(roots))
    first = min((n.generation for n in cohorts), default=1)
    last = max((n.generation for n in cohorts), default=0)
    codes = {n.cohort.country.code or "" for n in cohorts}
    colours = _country_colours(codes)
    column = COLUMN if names else COLUMN_COUNTS_ONLY
    columns = last - first + 1 if cohorts else 0
    width = 24 + column * max(columns, 1) + (NAME_CHARS * 7 if names else 90)

    legend_codes = sorted(codes, key=lambda c: (c == "", str(countries.name(c))))
    per_row = max(1, min(LEGEND_PER_ROW, width // LEGEND_WIDTH))
    legend = [
        Swatch(
            x=12 + (i % per_row) * LEGEND_WIDTH,
            y=10 + (i // per_row) * LEGEND_ROW,
            fill=colours[code],
            country=str(countries.name(code)) if code else "",
        )
        for i, code in enumerate(legend_codes)
    ]
    legend_rows = math.ceil(len(legend) / per_row) if legend else 0
    heading_y = 10 + legend_rows * LEGEND_ROW + 16
    top = heading_y + 22

    peak = max(
        (cohort_reach.get(n.cohort.pk, Figures()).reached for n in cohorts), default=0
    )

    def radius(reached: int) -> float:
        if not peak or not reached:
            return MIN_RADIUS
        return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(reached / peak)

    picture = Picture(
        width=width,
        height=0,
        heading_y=heading_y,
        truncated=truncated,
        reached=sum(generation_reach.values()),
        legend=legend,
        columns=[
            Column(
                x=24 + (g - first) * column,
                generation=g,
                reached=generation_reach.get(g, 0),
            )
            for g in range(first, last + 1)
        ],
    )
    rows = 0

    def place(node: TreeNode) -> float:
        """Lay out a subtree; a leaf takes the next row, a parent sits at the
        middle of its children. Returns the node's y."""
        nonlocal rows
        if node.children:
            ys = [place(child) for child in node.children]
            y = (ys[0] + ys[-1]) / 2
        else:
            y = top + rows * ROW + ROW / 2
            rows += 1
        figures = cohort_reach.get(node.cohort.pk, Figures())
        code = node.cohort.country.code or ""
        disc = Disc(
            x=24 + MAX_RADIUS + (node.generation - first) * column,
            y=round(y, 1),
            r=round(radius(figures.reached), 1),
            fill=colours[code],
            generation=node.generation,
            country=str(countries.name(code)) if code else "",
            reached=figures.reached,
            sessions=figures.sessions,
            name=_short(node.cohort.name) if names else "",
            parent=bool(node.children),
        )
        picture.discs.append(disc)
        for child in node.children:
            picture.edges.append(
                _edge(
                    disc.x,
                    y,
                    24 + MAX_RADIUS + (child.generation - first) * column,
                    child_y[child.cohort.pk],
                )
            )
        child_y[node.cohort.pk] = y
        return y

    child_y: dict[int, float] = {}
    for root in roots:
        place(root)
    picture.height = int(top + rows * ROW + 8)
    # Parents were appended after their children: draw top-down for readers
    # of the markup, edges under discs (the template draws edges first).
    picture.discs.sort(key=lambda d: (d.generation, d.y))
    return picture
