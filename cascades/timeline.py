"""Reach over time as a picture: the geometry of a stacked column chart (one
column per month, one segment per generation), rendered by
`templates/cascades/_timeline.html` (autoescaped; nothing here builds
markup). Colours are presentation attributes (`fill=`): the CSP allows no
`style=`. The data table beside it states the same figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .selectors import ReachOverTime

# Generation 1 darkest, then lighter: the order reads as depth.
GENERATION_COLOURS = ["#08306b", "#2171b5", "#4eb3d3", "#a8ddb5", "#fdae6b", "#e6550d"]
LEFT, TOP, BOTTOM, RIGHT = 48, 40, 36, 12
PLOT_HEIGHT = 200
STEP = 28  # pixels per month
LABELS = 12  # at most this many month labels


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    fill: str
    generation: int
    reached: int


@dataclass
class Bar:
    month: datetime.date
    total: int
    label_x: float
    labelled: bool
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Key:
    x: int
    generation: int
    fill: str

    @property
    def label_x(self) -> int:
        return self.x + 16


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    right: int
    axis_y: float
    label_y: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)


def reach_timeline(data: ReachOverTime) -> Timeline:
    months = data.months
    width = LEFT + max(len(months), 1) * STEP + RIGHT
    height = TOP + PLOT_HEIGHT + BOTTOM
    axis_y = TOP + PLOT_HEIGHT
    peak = _nice_max(max((m.total for m in months), default=0))
    chart = Timeline(
        width=width,
        height=height,
        left=LEFT,
        right=width - RIGHT,
        axis_y=axis_y,
        label_y=axis_y + 16,
        ticks=[
            Tick(y=round(axis_y - PLOT_HEIGHT * i / 4, 1), value=peak * i // 4)
            for i in range(5)
        ],
        keys=[
            Key(
                x=LEFT + i * 90,
                generation=g,
                fill=GENERATION_COLOURS[i % len(GENERATION_COLOURS)],
            )
            for i, g in enumerate(data.generations)
        ],
    )
    every = max(1, -(-len(months) // LABELS))
    for i, month in enumerate(months):
        x = LEFT + i * STEP + STEP * 0.15
        bar = Bar(
            month=month.month,
            total=month.total,
            label_x=round(LEFT + i * STEP + STEP / 2, 1),
            labelled=i % every == 0,
        )
        y = float(axis_y)
        for j, reached in enumerate(month.by_generation):
            if not reached:
                continue
            h = PLOT_HEIGHT * reached / peak
            y -= h
            bar.segments.append(
                Segment(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(STEP * 0.7, 1),
                    height=round(h, 1),
                    fill=chart.keys[j].fill,
                    generation=data.generations[j],
                    reached=reached,
                )
            )
        chart.bars.append(bar)
    return chart
