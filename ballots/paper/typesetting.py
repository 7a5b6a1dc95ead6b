"""Texts set into lines of a given width: wrapped at spaces, shrunk down to a floor, never cut.

Word widths are measured once at 1 pt (widths scale with the size), so wrapping costs time linear
in the length of the text. Used by the layout (`geometry`) for titles, questions and choices.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth

from ballots.paper import fonts

_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def _chunks(word: str, font: str, per_pt: float, width: float) -> list[str]:
    """A word wider than the line, cut between letters (a URL, a long compound noun)."""
    out, cur, cur_w = [], "", 0.0
    for ch in word:
        w = stringWidth(ch, font, 1) * per_pt
        if cur and cur_w + w > width:
            out.append(cur)
            cur, cur_w = "", 0.0
        cur, cur_w = cur + ch, cur_w + w
    if cur:
        out.append(cur)
    return out


def wrap(
    text: str, font: str, size: float, width: float, floor: float, max_lines: int
) -> tuple[tuple[str, ...], float]:
    """Lines of at most `width` points: at `size` if `max_lines` are enough, else smaller down to
    `floor`, where the text takes as many lines as it needs. Never cuts a text.

    Word widths are measured once at 1 pt (they scale with the size): linear in the text's length.
    """
    # Break at ordinary white space only: a no-break space (French "projets\u00a0!", "28\u00a0000\u00a0€") holds.
    words = [w for w in _SPACES.split(fonts.printable(text)) if w] or [""]
    if words == [""]:
        return (), size
    unit = [stringWidth(w, font, 1) for w in words]
    space = stringWidth(" ", font, 1)
    while True:
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        for word, wu in zip(words, unit, strict=True):
            ww = wu * size
            if cur and cur_w + space * size + ww <= width:
                cur.append(word)
                cur_w += space * size + ww
                continue
            if cur:
                lines.append(" ".join(cur))
            if ww > width:
                *full, last = _chunks(word, font, size, width)
                lines.extend(full)
                cur, cur_w = [last], stringWidth(last, font, size)
            else:
                cur, cur_w = [word], ww
        if cur:
            lines.append(" ".join(cur))
        if len(lines) <= max_lines or size <= floor:
            return tuple(lines), size
        size = max(floor, size - 0.5)


def fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """One line: shrink down to `min_size`; a text still too long is returned whole (callers wrap)."""
    lines, size = wrap(text, font, size, width, min_size, 1)
    return " ".join(lines), size
