"""The dashboard's charts, drawn on the server as SVG: no script, nothing from elsewhere.

Each chart is an image to assistive technology (role="img", named by its <title> and described by
its <desc>, which reads out every figure); the page puts the same figures in a table beside it.
Meaning is never carried by colour alone: every bar and interval has its number written beside it,
and a hidden count is written as such ("fewer than 5", "hidden"). Every label is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

from bot.outcomes.dashboard import TOO_FEW, Change, Count

BAR = "#005eb8"  # NHS blue: 7:1 against white
INK = "#212b32"
QUIET = "#4c6272"  # NHS secondary text colour: 6:1 against white
RULE = "#aeb7bd"
WIDTH = 640
CHAR = 8.6  # about the width of a character at 16px (Arial), to size the label column
FONT = 'font-family="Arial, sans-serif" font-size="16"'


@dataclass(frozen=True)
class Bar:
    label: str
    count: Count


LINE = 19.0  # the height of a line of text at 16px
MAX_LABEL = 300.0  # the widest a label column gets; longer labels take two lines (or more)


def _label_width(labels: Sequence[str]) -> float:
    return min(MAX_LABEL, max(80.0, CHAR * max((len(label) for label in labels), default=0) + 12))


def _lines(text: str, width: float) -> list[str]:
    """A label broken into lines that fit `width` (by words; a word longer than that keeps a line to itself)."""
    most = max(8, int((width - 12) / CHAR))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _row_height(labels: Sequence[str], width: float, least: float) -> float:
    return max([least] + [len(_lines(label, width)) * LINE + 8 for label in labels])


def _label(x: float, middle: float, text: str, width: float) -> str:
    """A label right-aligned at `x`, its lines centred on `middle`."""
    lines = _lines(text, width)
    first = middle - (len(lines) - 1) * LINE / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * LINE:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end" dominant-baseline="middle" fill="{INK}" {FONT}>{spans}</text>'


def _svg(chart_id: str, title: str, description: str, height: float, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wm-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], row: float = 32) -> Markup:
    """Horizontal bars, one a row, each with its number (or why it is hidden) written at its end."""
    left = _label_width([b.label for b in bars])
    row = _row_height([b.label for b in bars], left, row)
    room = WIDTH - left - 110  # the longest bar leaves room for its number
    top = max([b.count.shown or 0 for b in bars] + [1])
    parts = []
    for i, b in enumerate(bars):
        y = 8 + i * row
        middle = y + row / 2
        parts.append(_label(left - 8, middle, b.label, left))
        shown = b.count.shown
        if shown is None:
            parts.append(
                f'<text x="{left + 4:.1f}" y="{middle:.1f}" dominant-baseline="middle" fill="{QUIET}" '
                f'font-style="italic" {FONT}>{escape(b.count.text)}</text>'
            )
            continue
        length = room * shown / top
        height = min(row - 8, 24.0)
        parts.append(
            f'<rect x="{left:.1f}" y="{middle - height / 2:.1f}" width="{length:.1f}" height="{height:.1f}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle" fill="{INK}" '
            f"{FONT}>{shown}</text>"
        )
    parts.append(
        f'<line x1="{left:.1f}" y1="4" x2="{left:.1f}" y2="{12 + len(bars) * row:.1f}" stroke="{RULE}" stroke-width="1"/>'
    )
    description = (
        f"Bar chart. {title}: "
        + "; ".join(f"{b.label}, {b.count.text}" for b in bars)
        + ". The same figures are in the table beside it."
    )
    return _svg(chart_id, title, description, 16 + len(bars) * row, "".join(parts))


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def change_chart(chart_id: str, title: str, changes: Sequence[Change]) -> Markup:
    """Each ONS4 measure's mean change as a dot on its 95% confidence interval, either side of no change (0).

    Each row says in words which way is better; the numbers are written beside each interval.
    """
    labels = [f"{c.label} ({c.better_when} is better)" for c in changes]
    left = _label_width(labels)
    right = 190  # room for "+0.80 (+0.20 to +1.40)"
    span = WIDTH - left - right - 16
    known = [c.estimate for c in changes if c.estimate is not None]
    reach = max([1.0] + [max(abs(e.low), abs(e.high)) for e in known])
    reach = float(math.ceil(reach))
    row = _row_height(labels, left, 44.0)
    zero = left + 8 + span / 2

    def x(value: float) -> float:
        return zero + value / reach * span / 2

    parts = []
    bottom = 8 + len(changes) * row
    parts.append(f'<line x1="{zero:.1f}" y1="4" x2="{zero:.1f}" y2="{bottom:.1f}" stroke="{QUIET}" stroke-width="1"/>')
    for i, (c, label) in enumerate(zip(changes, labels, strict=True)):
        middle = 8 + i * row + row / 2
        parts.append(_label(left - 8, middle, label, left))
        e = c.estimate
        if e is None:
            parts.append(
                f'<text x="{zero + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle" fill="{QUIET}" '
                f'font-style="italic" {FONT}>{escape(TOO_FEW)}</text>'
            )
            continue
        parts.append(
            f'<line x1="{x(e.low):.1f}" y1="{middle:.1f}" x2="{x(e.high):.1f}" y2="{middle:.1f}" '
            f'stroke="{BAR}" stroke-width="3"/>'
        )
        for end in (e.low, e.high):
            parts.append(
                f'<line x1="{x(end):.1f}" y1="{middle - 7:.1f}" x2="{x(end):.1f}" y2="{middle + 7:.1f}" '
                f'stroke="{BAR}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{x(e.mean):.1f}" cy="{middle:.1f}" r="6" fill="{INK}"/>')
        parts.append(
            f'<text x="{WIDTH - right + 8:.1f}" y="{middle:.1f}" dominant-baseline="middle" fill="{INK}" {FONT}>'
            f"{_signed(e.mean)} ({_signed(e.low)} to {_signed(e.high)})</text>"
        )
    for value in (-reach, 0.0, reach):
        parts.append(
            f'<text x="{x(value):.1f}" y="{bottom + 18:.1f}" text-anchor="middle" fill="{QUIET}" {FONT}>'
            f"{'0' if value == 0 else _signed(value)[:-3]}</text>"
        )
    description = (
        f"{title}. Mean change from the intake to the follow-up, with its 95% confidence interval: "
        + "; ".join(
            f"{label}: "
            + (
                f"{_signed(c.estimate.mean)}, from {_signed(c.estimate.low)} to {_signed(c.estimate.high)}, "
                f"{c.n.text} people, {c.meaning.lower()}"
                if c.estimate
                else TOO_FEW
            )
            for c, label in zip(changes, labels, strict=True)
        )
        + ". The same figures are in the table beside it."
    )
    return _svg(chart_id, title, description, bottom + 28, "".join(parts))
