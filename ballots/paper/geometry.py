"""Where everything is on a paper ballot: the single source of truth for printing and reading.

Contract: `layout(election, variant)` is a pure, deterministic function of the election's
definition and the variant. The printer draws exactly these rectangles and the reader looks
exactly there, so a change here changes both at once. Units are PDF points (1/72 in), origin at
the page's top-left corner, y pointing down.

Invariants the reader relies on: the *frame* (corner squares, codes: `frames`, what is found
before anything is read), and:
- every choice box has a blank margin of at least `box_margin` around it (no text, no other
  box closer than that except other box outlines, which the reader masks out);
- nothing printed enters a keep-out zone: the corner squares with KEEP_OUT around them, the QR
  code with its quiet zone. Texts wrap onto more lines (or shrink down to the style's floor);
  they are never cut: a voter must see what they vote for.

Wrapping is greedy on word widths measured once (widths scale with the size), so a layout costs
time linear in the length of the election's texts. An election that cannot be laid out at all
(a ranked grid wider than the page, more than 35 sheets) raises `LayoutError` naming the cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from ballots.election import Election, Question, RuleKind
from ballots.errors import UrneError
from ballots.numbers import money
from ballots.paper import fonts

# The frame (corner squares, codes) is `frames`; what the layout and its callers use of it:
from ballots.paper.frames import (
    CURRENT,
    FRAMES,
    KEEP_OUT,
    MARK_SIZE,
    MM,
    PAGE_SIZES,
    VARIANTS,
    Frame,
    Point,
    Rect,
    code_rects,
    mark_centres,
)
from ballots.paper.identity_cache import by_identity
from ballots.paper.typesetting import wrap

HEADER_X = 48 * MM
HEADER_Y = 8 * MM  # the title's top line (both frames)
CONTENT_TOP = 36 * MM  # at least; a long title wrapped on several lines pushes it down
CONTENT_BOTTOM_GAP = CURRENT.content_bottom  # from the page bottom (columns clear of the second code)
SIDE = 14 * MM  # left/right content margin
MAX_SHEETS = 35  # one base-36 digit in the QR
LABEL_LINES = 4  # a choice's name wraps onto this many lines at its size before it shrinks


@dataclass(frozen=True)
class Style:
    box: float  # box side
    row: float  # row pitch
    line: float  # box outline width
    text: float  # choice font size
    heading: float  # question title size
    note: float  # instructions size
    max_columns: int

    title: float = 14.0  # election title in the header
    sub: float = 9.0  # serial line and organiser in the header
    floor: float = 8.0  # no text shrinks below this (large print: its own size)


NORMAL = Style(box=15.0, row=21.0, line=1.0, text=10.0, heading=11.5, note=9.5, max_columns=2, floor=8.0)
LARGE = Style(
    box=24.0, row=34.0, line=1.4, text=16.0, heading=17.0, note=14.0, max_columns=1, title=17.0, sub=12.0, floor=14.0
)


@dataclass
class LayoutError(UrneError):
    """This election cannot be printed in this variant; `reason` is a code, `detail` names the cause."""

    reason: str
    detail: str = ""

    def message(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


RANKED_TOO_WIDE = "ranked_grid_too_wide"
TOO_MANY_SHEETS = "too_many_sheets"


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
    sheet: int  # 0: on every sheet (the header, the footer)
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
    # Per ballot: where the serial line and the test warning go (their text is filled in by the printer).
    ballot_line: TextItem = TextItem(0, HEADER_X, 0.0, "", 9.0)
    test_line: TextItem = TextItem(0, HEADER_X, 0.0, "", 12.0, bold=True)
    # A counted ballot prints the advice in the test warning's slot (nothing moves between them).
    advice_line: TextItem = TextItem(0, HEADER_X, 0.0, "", 10.0, bold=True)
    header_width: float = 0.0
    frame: Frame = CURRENT

    @property
    def marks(self) -> tuple[Point, Point, Point, Point]:
        return mark_centres(self.page_size, self.frame)

    @property
    def qr_rect(self) -> Rect:
        """The top-left code."""
        return code_rects(self.page_size, self.frame)[0]

    @property
    def code_rects(self) -> tuple[Rect, ...]:
        """Every code on the sheet: top-left, then (frame 2) bottom-right."""
        return code_rects(self.page_size, self.frame)

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
            "frame": self.frame.version,
            "codes_pt": [[round(v, 2) for v in r] for r in self.code_rects],
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


@by_identity(64)
def layout(election: Election, variant: str = "A", frame: int = CURRENT.version) -> Layout:
    """The geometry of every sheet of this election's ballot in this variant (cached).

    `frame` is the frame version the sheet's code names (old printed ballots: 1).
    The first cache is by identity (hashing a whole election costs more than reading a box);
    the second by value, so equal elections loaded twice share one layout.
    """
    return _layout(election, variant, frame)


def header_right(page: tuple[float, float], frame: Frame = CURRENT) -> float:
    """The header's right edge: clear of the top-right corner square by KEEP_OUT."""
    return page[0] - frame.mark_inset - MARK_SIZE / 2 - KEEP_OUT


# A box filled and then crossed out in the same ink can look like a vote to anyone reading the
# sheet (README, Known limits): a voter who changes their mind asks for another ballot instead.
ADVICE = "En cas d'erreur, ne raturez pas\u00a0: demandez un autre bulletin."


def _header(
    election: Election, page: tuple[float, float], st: Style, frame: Frame
) -> tuple[list[TextItem], TextItem, TextItem, TextItem, float]:
    """Title (wrapped), serial line, organiser, test-warning slot: on every sheet; returns the
    texts, the three per-ballot lines (serial, test warning, advice) and the y where the content
    may start."""
    width = header_right(page, frame) - HEADER_X
    reg, bold = fonts.regular(), fonts.bold()
    texts: list[TextItem] = []
    lines, size = wrap(election.title.get("fr"), bold, st.title, width, min(st.title, max(st.floor, 10.0)), 2)
    y = HEADER_Y + size * 0.8
    for i, line in enumerate(lines):
        texts.append(TextItem(0, HEADER_X, y + i * size * 1.15, line, size, bold=True))
    y += (len(lines) - 1) * size * 1.15 + st.sub * 1.5
    # The widest the serial line can be ("W" is the widest base32 letter).
    probe = "Bulletin n° WWWW WWWW · code WWW-WWW — feuille 35/35"
    _, sub = wrap(probe, reg, st.sub, width, 6.0, 1)
    ballot_line = TextItem(0, HEADER_X, y, "", sub)
    y += st.sub * 1.35
    if election.organiser:
        org, osize = wrap(election.organiser, reg, st.sub, width, min(st.sub, st.floor), 2)
        for i, line in enumerate(org):
            texts.append(TextItem(0, HEADER_X, y + i * osize * 1.2, line, osize))
        y += len(org) * osize * 1.2
    y += 12 * 0.3
    test_line = TextItem(0, HEADER_X, y + 12 * 0.8, "", 12.0, bold=True)
    # One line in the same slot, as large as fits (12 pt at most, the floor at least).
    (advice,), a_size = wrap(ADVICE, bold, 12.0, width, min(st.floor, 8.0), 1)
    advice_line = TextItem(0, HEADER_X, test_line.y, advice, a_size, bold=True)
    y += 12 * 1.2
    return texts, ballot_line, test_line, advice_line, max(CONTENT_TOP, y + 4 * MM)


def _footer(election: Election, page: tuple[float, float], frame: Frame) -> list[TextItem]:
    """The small print between the bottom-left square and the bottom-right square or code."""
    left = frame.mark_inset + MARK_SIZE / 2 + KEEP_OUT
    right = code_rects(page, frame)[1][0] - KEEP_OUT if frame.second_code else page[0] - left
    width = right - left
    text = (
        f"Urne · {election.id} · empreinte {election.fingerprint[:6]} · "
        "ne cochez que dans les cases ; ne pliez pas sur les cases"
    )
    lines, size = wrap(text, fonts.regular(), 7.0, width, 6.0, 2)
    # Frame 2: level with the bottom squares, above the paper's lowest 12 mm.
    base = page[1] - (9 * MM if frame.version == 1 else frame.mark_inset - 1 * MM)
    n = len(lines)
    return [TextItem(0, left, base - (n - 1 - i) * size * 1.2, line, size) for i, line in enumerate(lines)]


@lru_cache(maxsize=32)
def _layout(election: Election, variant: str, version: int = CURRENT.version) -> Layout:
    size_name, large = VARIANTS[variant]
    page = PAGE_SIZES[size_name]
    frame = FRAMES[version]
    st = LARGE if large else NORMAL
    header, ballot_line, test_line, advice_line, top = _header(election, page, st, frame)
    footer = _footer(election, page, frame)
    bottom = _bottoms(page, frame)
    best: tuple[int, list[Box], list[TextItem]] | None = None
    error: LayoutError | None = None
    for columns in range(1, st.max_columns + 1):
        try:
            sheets, boxes, texts = _flow(election, page, st, columns, top, bottom)
        except LayoutError as exc:
            error = error or exc
            continue
        if best is None or sheets < best[0]:
            best = (sheets, boxes, texts)
        if sheets == 1:
            break  # one column on one sheet reads best
    if best is None:
        assert error is not None
        raise error
    sheets, boxes, texts = best
    if sheets > MAX_SHEETS:
        raise LayoutError(TOO_MANY_SHEETS, f"{sheets} feuilles par bulletin (au plus {MAX_SHEETS})")
    return Layout(
        variant,
        page,
        sheets,
        st,
        tuple(boxes),
        tuple(header + footer + texts),
        ballot_line=ballot_line,
        test_line=test_line,
        advice_line=advice_line,
        header_width=header_right(page, frame) - HEADER_X,
        frame=frame,
    )


def _bottoms(page: tuple[float, float], frame: Frame) -> tuple[float, float, float]:
    """(lowest y for content, x from which content is above the second code, lowest y there)."""
    low = page[1] - frame.content_bottom
    if not frame.second_code:
        return (low, page[0], low)
    x, y, _, _ = code_rects(page, frame)[1]
    return (low, x - KEEP_OUT, y - KEEP_OUT)


def _flow(
    election: Election,
    page: tuple[float, float],
    st: Style,
    columns: int,
    top: float,
    bottoms: tuple[float, float, float],
) -> tuple[int, list[Box], list[TextItem]]:
    """Questions and choices poured into `columns` columns per sheet, as many sheets as needed."""
    reg, bold = fonts.regular(), fonts.bold()
    gutter = 8 * MM
    col_w = (page[0] - 2 * SIDE - gutter * (columns - 1)) / columns
    boxes: list[Box] = []
    texts: list[TextItem] = []
    sheet, col, y = 1, 0, top
    pitch = st.box * 1.45
    label_gap = st.box * 0.6  # > box_margin: the reader's ring around the box stays blank

    def x0() -> float:
        return SIDE + col * (col_w + gutter)

    def bottom_of() -> float:
        """This column's lowest y: higher where it runs over the bottom-right code."""
        low, code_x, code_low = bottoms
        return code_low if x0() + col_w > code_x else low

    def next_column() -> None:
        nonlocal sheet, col, y
        col += 1
        if col >= columns:
            col, sheet = 0, sheet + 1
        y = top

    def heading_lines(q: Question, more: bool) -> tuple[tuple[str, ...], float, tuple[str, ...], float]:
        title = q.title.get("fr") + (" (suite)" if more else "")
        t_lines, t_size = wrap(title, bold, st.heading, col_w, min(st.heading, st.floor), 2)
        n_lines, n_size = wrap(instruction(q, election.currency), reg, st.note, col_w, min(st.note, st.floor), 3)
        return t_lines, t_size, (() if more else n_lines), n_size

    def heading(q: Question, more: bool) -> float:
        """The heading's height: title, instruction, rank numbers (one line each: the former fixed height)."""
        t_lines, t_size, n_lines, n_size = heading_lines(q, more)
        h = st.heading + (len(t_lines) - 1) * t_size * 1.2 + st.note + 14 + max(len(n_lines) - 1, 0) * n_size * 1.2
        return h + (st.note + 4 if q.rule.kind is RuleKind.RANKED else 0)

    def draw_heading(q: Question, more: bool) -> None:
        nonlocal y
        t_lines, t_size, n_lines, n_size = heading_lines(q, more)
        h = heading(q, more)
        yt = y + st.heading
        for i, line in enumerate(t_lines):
            texts.append(TextItem(sheet, x0(), yt + i * t_size * 1.2, line, t_size, bold=True))
        yn = yt + (len(t_lines) - 1) * t_size * 1.2 + st.note + 4
        for i, line in enumerate(n_lines):
            texts.append(TextItem(sheet, x0(), yn + i * n_size * 1.2, line, n_size))
        if q.rule.kind is RuleKind.RANKED:
            yr = y + h - (st.note + 4)
            for r in range(q.rule.max):
                texts.append(
                    TextItem(
                        sheet, x0() + r * pitch + st.box / 2 - st.note / 3, yr + st.note, str(r + 1), st.note, bold=True
                    )
                )
        y += h

    for q in election.questions:
        ranks = q.rule.max if q.rule.kind is RuleKind.RANKED else 0
        n_boxes = max(ranks, 1)
        tx_off = (n_boxes - 1) * pitch + st.box + label_gap
        min_label = 30 * MM if not large_style(st) else 45 * MM
        if col_w - tx_off < min_label:
            raise LayoutError(
                RANKED_TOO_WIDE,
                f"question {q.id!r}: {ranks} rangs ne tiennent pas sur la largeur de la page dans ce format",
            )
        rows = []
        for c in q.choices:
            cost = money(c.cost, election.currency) if c.cost else ""
            cost_w = stringWidth(cost, reg, st.text) + 6 if cost else 0.0
            lines, lsize = wrap(c.title.get("fr"), reg, st.text, col_w - tx_off - cost_w, st.floor, LABEL_LINES)
            lines = lines or ("",)
            height = st.row + (len(lines) - 1) * lsize * 1.2
            rows.append((c, cost, lines, lsize, height))
        first_h = rows[0][4] if rows else 0.0
        if y > top and y + heading(q, False) + first_h > bottom_of():
            next_column()
        draw_heading(q, False)
        for c, cost, lines, lsize, height in rows:
            if y + height > bottom_of():
                next_column()
                draw_heading(q, True)
                if y + height > bottom_of():
                    raise LayoutError(TOO_MANY_SHEETS, f"le choix {c.id!r} ne tient pas sur une page")
            by = y + (st.row - st.box) / 2
            for r in range(n_boxes):
                boxes.append(Box(q.id, c.id, sheet, (x0() + r * pitch, by, st.box, st.box), r + 1 if ranks else 0))
            base = y + st.row / 2 + st.text * 0.35
            for i, line in enumerate(lines):
                texts.append(TextItem(sheet, x0() + tx_off, base + i * lsize * 1.2, line, lsize))
            if cost:
                texts.append(TextItem(sheet, x0() + col_w, base, cost, st.text, align="right"))
            y += height
        y += st.row * 0.4
    return sheet, boxes, texts


def large_style(st: Style) -> bool:
    return st.text >= LARGE.text
