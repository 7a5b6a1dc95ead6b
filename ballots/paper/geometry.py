"""Where everything is on a paper ballot: the single source of truth for printing and reading.

Contract: `layout(election, variant)` is a pure, deterministic function of the election's
definition and the variant. The printer draws exactly these rectangles and the reader looks
exactly there, so a change here changes both at once. Units are PDF points (1/72 in), origin at
the page's top-left corner, y pointing down.

Invariants the reader relies on:
- four solid square alignment marks, centred MARK_INSET from each page corner, identical in
  every variant of a page size;
- the QR code sits at the same place relative to the top-left mark in every variant, and the
  mirror region at the bottom-right is always left blank (it tells upside-down pages apart);
- every choice box has a blank margin of at least `box_margin` around it (no text, no other
  box closer than that except other box outlines, which the reader masks out).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from ballots.election import Election, Question, RuleKind
from ballots.numbers import money

MM = 72 / 25.4
PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
# One character in the QR names the variant, so the reader knows the layout before reading boxes.
VARIANTS: dict[str, tuple[str, bool]] = {
    "A": ("A4", False),
    "B": ("A4", True),
    "L": ("letter", False),
    "M": ("letter", True),
}

MARK_SIZE = 8 * MM
MARK_INSET = 12 * MM  # from the page edge to the mark's centre
QR_SIZE = 20 * MM  # version 3 (29 modules): 0.69 mm per module
QR_VERSION = 3
QR_X = 22 * MM  # top-left corner of the QR (its quiet zone is kept blank around it)
QR_Y = 8 * MM
HEADER_X = 48 * MM
CONTENT_TOP = 36 * MM
CONTENT_BOTTOM_GAP = 24 * MM  # from the page bottom
SIDE = 14 * MM  # left/right content margin
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"

Rect = tuple[float, float, float, float]  # x, y, w, h in points, top-left origin
Point = tuple[float, float]


@dataclass(frozen=True)
class Style:
    box: float  # box side
    row: float  # row pitch
    line: float  # box outline width
    text: float  # choice font size
    heading: float  # question title size
    note: float  # instructions size
    max_columns: int


NORMAL = Style(box=15.0, row=21.0, line=1.0, text=10.0, heading=11.5, note=9.5, max_columns=2)
LARGE = Style(box=24.0, row=34.0, line=1.4, text=16.0, heading=17.0, note=14.0, max_columns=1)


@dataclass(frozen=True)
class Box:
    question: str
    choice: str
    sheet: int  # 1-based
    rect: Rect
    rank: int = 0  # 1-based rank column for ranked questions, 0 otherwise

    @property
    def key(self) -> str:
        """The id used in `marks`: the choice id, with '@rank' for ranked questions."""
        return f"{self.choice}@{self.rank}" if self.rank else self.choice


@dataclass(frozen=True)
class TextItem:
    sheet: int
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    align: str = "left"  # left | right


@dataclass(frozen=True)
class Layout:
    variant: str
    page_size: tuple[float, float]
    sheets: int
    style: Style
    boxes: tuple[Box, ...]
    texts: tuple[TextItem, ...]

    @property
    def marks(self) -> tuple[Point, Point, Point, Point]:
        return mark_centres(self.page_size)

    @property
    def qr_rect(self) -> Rect:
        return (QR_X, QR_Y, QR_SIZE, QR_SIZE)

    @property
    def header_origin(self) -> Point:
        return (HEADER_X, QR_Y + 10)

    @property
    def box_margin(self) -> float:
        """Blank margin the reader may look at around each box (ring analysis)."""
        return self.style.box * 0.5

    def sheet_boxes(self, sheet: int) -> tuple[Box, ...]:
        return tuple(b for b in self.boxes if b.sheet == sheet)

    def to_json(self) -> dict[str, object]:
        """The `urne layout --json` document."""
        return {
            "variant": self.variant,
            "page_size_pt": [round(self.page_size[0], 2), round(self.page_size[1], 2)],
            "sheets": self.sheets,
            "marks_pt": [[round(x, 2), round(y, 2)] for x, y in self.marks],
            "mark_size_pt": round(MARK_SIZE, 2),
            "qr_rect_pt": [round(v, 2) for v in self.qr_rect],
            "boxes": [
                {
                    "question": b.question,
                    "choice": b.choice,
                    "sheet": b.sheet,
                    **({"rank": b.rank} if b.rank else {}),
                    "rect_pt": [round(v, 2) for v in b.rect],
                }
                for b in self.boxes
            ],
        }


def variant_for(page_size: str, large_print: bool) -> str:
    for code, (size, large) in VARIANTS.items():
        if size == page_size and large == large_print:
            return code
    raise ValueError(f"unknown page size {page_size!r} (A4 or letter)")


def mark_centres(page: tuple[float, float]) -> tuple[Point, Point, Point, Point]:
    """Top-left, top-right, bottom-right, bottom-left."""
    w, h = page
    i = MARK_INSET
    return ((i, i), (w - i, i), (w - i, h - i), (i, h - i))


def instruction(question: Question, currency: str = "EUR") -> str:
    """The rule in French, as printed under the question ("Cochez au maximum 5 projets")."""
    rule = question.rule
    noun = "projets" if any(c.cost for c in question.choices) else "cases"
    if rule.kind is RuleKind.SINGLE:
        return "Cochez une seule case."
    if rule.kind is RuleKind.RANKED:
        return f"Classez au maximum {rule.max} choix : une seule case par colonne (1 = premier choix)."
    parts = []
    if rule.min and rule.max and rule.min != rule.max:
        parts.append(f"Cochez entre {rule.min} et {rule.max} {noun}")
    elif rule.max and rule.min == rule.max:
        parts.append(f"Cochez exactement {rule.max} {noun}")
    elif rule.max:
        parts.append(f"Cochez au maximum {rule.max} {noun}")
    else:
        parts.append(f"Cochez les {noun} de votre choix")
    if rule.kind is RuleKind.BUDGET and rule.budget:
        parts.append(f"pour un total d'au plus {money(rule.budget, currency)}")
    return " ".join(parts) + "."


def fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """Shrink down to `min_size`, then cut with an ellipsis, so a text never runs into the next column."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


_BY_ID: dict[tuple[int, str], tuple[Election, Layout]] = {}


def layout(election: Election, variant: str = "A") -> Layout:
    """The geometry of every sheet of this election's ballot in this variant (cached).

    The first cache is by identity (hashing a whole election costs more than reading a box);
    the second by value, so equal elections loaded twice share one layout.
    """
    key = (id(election), variant)
    hit = _BY_ID.get(key)
    if hit is None or hit[0] is not election:
        if len(_BY_ID) > 64:
            _BY_ID.clear()
        hit = _BY_ID[key] = (election, _layout(election, variant))
    return hit[1]


@lru_cache(maxsize=32)
def _layout(election: Election, variant: str) -> Layout:
    size_name, large = VARIANTS[variant]
    page = PAGE_SIZES[size_name]
    st = LARGE if large else NORMAL
    top, bottom = CONTENT_TOP, page[1] - CONTENT_BOTTOM_GAP
    heading_h = st.heading + st.note + 14
    rank_head = st.note + 4
    # Rows needed if everything were in one column: decides one or two columns.
    need = 0.0
    for q in election.questions:
        need += heading_h + (rank_head if q.rule.kind is RuleKind.RANKED else 0) + st.row * len(q.choices)
    columns = 1 if need <= bottom - top or st.max_columns == 1 else 2
    gutter = 8 * MM
    col_w = (page[0] - 2 * SIDE - gutter * (columns - 1)) / columns
    boxes: list[Box] = []
    texts: list[TextItem] = []
    sheet, col, y = 1, 0, top

    def next_column() -> None:
        nonlocal sheet, col, y
        col += 1
        if col >= columns:
            col, sheet = 0, sheet + 1
        y = top

    for q in election.questions:
        ranks = q.rule.max if q.rule.kind is RuleKind.RANKED else 0
        head = heading_h + (rank_head if ranks else 0)
        if y + head + st.row > bottom:
            next_column()
        x0 = SIDE + col * (col_w + gutter)
        title, tsize = fit(q.title.get("fr"), FONT_BOLD, st.heading, col_w, st.heading - 3)
        texts.append(TextItem(sheet, x0, y + st.heading, title, tsize, bold=True))
        note, nsize = fit(instruction(q, election.currency), FONT, st.note, col_w, st.note - 2)
        texts.append(TextItem(sheet, x0, y + st.heading + st.note + 4, note, nsize))
        y += heading_h
        pitch = st.box + st.box * 0.45
        if ranks:
            for r in range(ranks):
                texts.append(
                    TextItem(
                        sheet, x0 + r * pitch + st.box / 2 - st.note / 3, y + st.note, str(r + 1), st.note, bold=True
                    )
                )
            y += rank_head
        for c in q.choices:
            if y + st.row > bottom:
                next_column()
                x0 = SIDE + col * (col_w + gutter)
            by = y + (st.row - st.box) / 2
            for r in range(max(ranks, 1)):
                boxes.append(Box(q.id, c.id, sheet, (x0 + r * pitch, by, st.box, st.box), r + 1 if ranks else 0))
            tx = x0 + (max(ranks, 1) - 1) * pitch + st.box + st.box * 0.6
            cost = money(c.cost, election.currency) if c.cost else ""
            cost_w = stringWidth(cost, FONT, st.text) + 6 if cost else 0
            label, lsize = fit(c.title.get("fr"), FONT, st.text, x0 + col_w - tx - cost_w, st.text - 2.5)
            base = y + st.row / 2 + st.text * 0.35
            texts.append(TextItem(sheet, tx, base, label, lsize))
            if cost:
                texts.append(TextItem(sheet, x0 + col_w, base, cost, st.text, align="right"))
            y += st.row
        y += st.row * 0.4
    return Layout(variant, page, sheet, st, tuple(boxes), tuple(texts))
