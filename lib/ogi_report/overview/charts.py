"""The overview's charts: matplotlib figures written as inline SVG, text kept as text.

Each function takes numbers already computed (:mod:`ogi_report.overview.totals`) and returns the
SVG markup of one chart, ready to sit in the page: no XML prologue, ids prefixed so several charts
share a page, sized by the page (``width: 100%``).  Text stays text (``svg.fonttype = 'none'``), so
the page is searchable, prints sharp, and the PDF's text layer holds the labels; its font is the
黑体 role's chain of :mod:`ogi_report.render.fonts` (licensed fonts first when a deployment has
them), the same as the report's headings.  No chart junk: no frame, no 3-D, no pie; the values are
written on the bars, and the page prints the same numbers in a table beside each chart.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: before anything imports pyplot

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ogi_report.render.fonts import Role, load_setup

INK = "#222222"
MUTED = "#6b6b6b"
BAR = "#2f5d8a"
BAR_LIGHT = "#a9c1d9"
SERIES = ("#2f5d8a", "#c0504d", "#9bbb59", "#8c8c8c")
WIDTH_IN = 7.0  # figure width; the page scales the SVG to its column


@cache
def font_stack() -> tuple[str, ...]:
    """The 黑体 role's chain (licensed names first), its files registered with matplotlib."""
    chain = load_setup().chains[Role.HEITI]
    for face in chain:
        if face.file is not None:
            font_manager.fontManager.addfont(str(face.file))
    return (*(face.css for face in chain), "DejaVu Sans")


def _style() -> Any:  # rc_context types its keys as literals; these are checked by matplotlib
    return {
        "svg.fonttype": "none",  # text as <text>, searchable and printed by the page's fonts
        "svg.hashsalt": "ogi-report",  # stable ids: the same numbers give the same file
        "font.family": ["sans-serif"],
        "font.sans-serif": list(font_stack()),
        "font.size": 10,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,
    }


@contextmanager
def _quiet() -> Iterator[None]:
    # matplotlib logs each licensed family the machine lacks; the chain falls back by design.
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def count_text(value: float) -> str:
    """A count as printed: 3,119."""
    return f"{value:,.0f}"


def _svg(fig: Figure, prefix: str, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Ids are unique per chart only: prefixed, so several charts can share one page.
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m[1]}"', svg)
    # Never drawn larger than made (text would grow past the page's), narrower on a phone.
    svg = re.sub(
        r'<svg ([^>]*?)width="([^"]*)" height="[^"]*"', r'<svg \1style="max-width: \2"', svg, count=1
    )
    label = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return svg.replace("<svg ", f'<svg class="ogi-chart" role="img" aria-label="{label}" ', 1)


def _figure(rows: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(WIDTH_IN, 0.9 + 0.36 * max(rows, 1)))
    return fig, fig.subplots()


def _bar_labels(ax: Axes, bars: Any, texts: Sequence[str]) -> None:
    ax.bar_label(bars, labels=list(texts), padding=3, color=INK, fontsize=9)


def _clean_value_axis(ax: Axes, largest: float) -> None:
    ax.set_xlim(0, largest * 1.18 if largest > 0 else 1)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.spines["left"].set_color(MUTED)
    ax.tick_params(axis="y", length=0)


def bar_chart(
    prefix: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str] | None = None,
    highlight: Sequence[bool] = (),
) -> str:
    """Horizontal bars, first label on top, each bar with its value (or ``texts``) written beside it."""
    with _quiet(), rc_context(_style()):
        fig, ax = _figure(len(labels))
        colours = [BAR if not highlight or highlight[i] else BAR_LIGHT for i in range(len(labels))]
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, list(values), color=colours, height=0.62)
        ax.set_yticks(positions, list(labels))
        _bar_labels(ax, bars, texts if texts is not None else [count_text(v) for v in values])
        _clean_value_axis(ax, max(values, default=0))
        return _svg(fig, prefix, title)


def grouped_chart(
    prefix: str, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """Horizontal bars grouped per label, one colour per series (named in a legend), values written."""
    with _quiet(), rc_context(_style()):
        fig, ax = _figure(len(labels) * max(len(series), 1) * 0.55 + 1)
        n = max(len(series), 1)
        height = 0.8 / n
        largest = 0.0
        for index, (name, values) in enumerate(series):
            positions = [
                len(labels) - 1 - i + (n - 1 - index - (n - 1) / 2) * height for i in range(len(labels))
            ]
            bars = ax.barh(
                positions, list(values), height=height * 0.92, color=SERIES[index % len(SERIES)], label=name
            )
            _bar_labels(ax, bars, [count_text(v) for v in values])
            largest = max(largest, *values, 0)
        ax.set_yticks(list(range(len(labels)))[::-1], list(labels))
        _clean_value_axis(ax, largest)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series), frameon=False, fontsize=9)
        return _svg(fig, prefix, title)


def line_chart(
    prefix: str, title: str, years: Sequence[int], values: Sequence[float], percent: bool = False
) -> str:
    """Values over the years, each point labelled; a gap (NaN) where a year has no value."""
    with _quiet(), rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN * 0.62, 2.3))
        ax = fig.subplots()
        ax.plot(list(years), list(values), color=BAR, marker="o", linewidth=2)
        for x, y in zip(years, values, strict=True):
            if y == y:  # not NaN
                text = f"{y:.1%}" if percent else count_text(y)
                ax.annotate(text, (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=9)
        ax.set_xticks(list(years), [f"{y}年" for y in years])
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
        finite = [v for v in values if v == v]
        top = max(finite, default=0)
        ax.set_ylim(0, top * 1.3 if top > 0 else 1)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        return _svg(fig, prefix, title)
