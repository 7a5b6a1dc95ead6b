"""Bar charts for the official report, drawn with reportlab graphics.

Readable printed in black and white: each channel has its own fill pattern (solid dark grey,
hatched, light grey dotted), every bar carries its number, and winners are marked by a black
square and bold text, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ballots.report.labels import channel_label
from ballots.results import QuestionResult, TurnoutRow

FONT = "Helvetica"
BOLD = "Helvetica-Bold"

# (fill grey level, pattern) per channel, in the order channels are listed.
STYLES = (
    (0.30, "solid"),
    (1.00, "hatch"),
    (0.82, "dots"),
    (0.60, "solid"),
)


def _style(index: int) -> tuple[float, str]:
    return STYLES[index % len(STYLES)]


def _patterned_rect(d: Drawing, x: float, y: float, w: float, h: float, index: int) -> None:
    grey, pattern = _style(index)
    d.add(Rect(x, y, w, h, fillColor=colors.Color(grey, grey, grey), strokeColor=colors.black, strokeWidth=0.5))
    if pattern == "hatch":
        # Diagonal lines clipped to the rectangle by hand (reportlab shapes have no clipping).
        step = 3.5
        k = -h
        while k < w:
            x0, y0 = x + max(k, 0), y + max(-k, 0)
            x1 = x + min(k + h, w)
            y1 = y + (x1 - x - k)
            if x1 > x0:
                d.add(Line(x0, y0, x1, y1, strokeColor=colors.black, strokeWidth=0.5))
            k += step
    elif pattern == "dots":
        yy = y + 2
        while yy < y + h - 1:
            xx = x + 2
            while xx < x + w - 1:
                d.add(Circle(xx, yy, 0.45, fillColor=colors.black, strokeColor=None))
                xx += 3
            yy += 3


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def legend(d: Drawing, channels: Sequence[str], x: float, y: float) -> None:
    for i, ch in enumerate(channels):
        _patterned_rect(d, x, y, 14, 9, i)
        d.add(String(x + 18, y + 1.5, channel_label(ch), fontName=FONT, fontSize=8))
        x += 28 + stringWidth(channel_label(ch), FONT, 8)


def question_chart(q: QuestionResult, channels: Sequence[str], width: float, max_bars: int = 40) -> Drawing:
    """Horizontal bars, one per choice by rank, stacked by channel, with the total at the end."""
    shown = q.choices[:max_bars]
    bar = 11.0 if len(shown) <= 25 else 8.0
    gap = 4.0 if len(shown) <= 25 else 3.0
    label_w = width * 0.42
    top_pad, bottom_pad = 22.0, 6.0
    height = top_pad + bottom_pad + len(shown) * (bar + gap)
    d = Drawing(width, height)
    legend(d, channels, label_w, height - 13)
    best = max((c.votes for c in shown), default=0) or 1
    bars_w = width - label_w - 40
    y = height - top_pad - bar
    for c in shown:
        font = BOLD if c.winner else FONT
        if c.winner:
            d.add(Rect(0, y + bar / 2 - 3, 6, 6, fillColor=colors.black, strokeColor=None))
        label = _fit(f"{c.rank}. {c.title}", font, 7.5, label_w - 16)
        d.add(String(10, y + bar / 2 - 2.6, label, fontName=font, fontSize=7.5))
        x = label_w
        for i, ch in enumerate(channels):
            n = c.by_channel.get(ch, 0)
            if n:
                w = bars_w * n / best
                _patterned_rect(d, x, y, w, bar, i)
                x += w
        d.add(String(x + 4, y + bar / 2 - 2.6, str(c.votes), fontName=font, fontSize=7.5))
        y -= bar + gap
    d.add(Line(label_w, 2, label_w, height - top_pad + 2, strokeColor=colors.black, strokeWidth=0.7))
    return d


def turnout_chart(rows: Sequence[TurnoutRow], width: float) -> Drawing:
    """Two groups (voters, votes), one bar per channel, each with its pattern and number."""
    groups = (("Votants", [r.voters for r in rows]), ("Votes", [r.votes for r in rows]))
    bar, gap, group_gap = 12.0, 3.0, 12.0
    label_w = 70.0
    height = 20 + len(groups) * (len(rows) * (bar + gap) + group_gap)
    d = Drawing(width, height)
    legend(d, [r.channel for r in rows], label_w, height - 12)
    bars_w = width - label_w - 50
    y = height - 22
    for name, values in groups:
        best = max(values, default=0) or 1
        top = y
        for i, v in enumerate(values):
            y -= bar
            if v:
                _patterned_rect(d, label_w, y, bars_w * v / best, bar, i)
            d.add(String(label_w + bars_w * v / best + 4, y + 3, str(v), fontName=FONT, fontSize=8))
            y -= gap
        d.add(String(0, (top + y) / 2 - 3, name, fontName=BOLD, fontSize=9))
        y -= group_gap
    d.add(Line(label_w, y + group_gap, label_w, height - 20, strokeColor=colors.black, strokeWidth=0.7))
    return d
