"""The frame of a paper ballot: where the corner squares and the codes are, per frame version.

This is all the reader needs before it knows the election (it finds the squares, reads a code,
and the code names its frame and page size); the layout of texts and boxes is `geometry`.
Units are PDF points (1/72 in), origin at the page's top-left corner, y pointing down.

- four solid square alignment marks, centred `frame.mark_inset` from each page corner, identical
  in every variant of a page size;
- frame 2 (printed today): a code at the top-left and a second code, same identity and MAC plus
  a position letter, at the bottom-right, its 180° image: the loss of any one corner region (a
  scanner frame cutting it) leaves three marks and one code. Frame 1 (ballots printed before):
  one code at the top-left, the mirror region at the bottom-right left blank. The code names its
  frame ("U1"/"U2"), so old printed ballots stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass

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
QR_SIZE = 20 * MM  # version 3 (29 modules): 0.69 mm per module
QR_VERSION = 3
KEEP_OUT = 4 * MM  # blank paper around each corner square (the reader finds them as lone squares)


@dataclass(frozen=True)
class Frame:
    """Where the corner squares and the codes are: fixed per frame version, named by the code."""

    version: int
    mark_inset: float  # from the page edge to a corner square's centre
    qr_x: float  # top-left corner of the top-left code
    qr_y: float
    second_code: bool  # a second code at the bottom-right, the 180° image of the first
    content_bottom: float  # from the page bottom to the lowest box, where no code is below


# Frame 1: ballots printed until frame 2; read forever (their code says "U1").
FRAME_1 = Frame(1, 12 * MM, 22 * MM, 8 * MM, False, 24 * MM)
# Frame 2: squares 16 mm in. An office scanner loses 2-4 mm at each edge ("image loss" in copier
# specifications) and an ADF page skewed by a few degrees swings its corners out of an exact-size
# frame: at 16 mm the whole square (12 mm from the edge) survives 4 mm of loss plus a 3° skew of a
# centred A4 page in an A4 frame (a 5° skew, or a page shifted into a corner, may still cut one
# corner: three squares and the other code then suffice). The codes sit beside the squares,
# their top 12 mm from the edge (frame 1: 8 mm, where frames cut the top rows).
FRAME_2 = Frame(2, 16 * MM, 24 * MM, 12 * MM, True, 24 * MM)
FRAMES: dict[int, Frame] = {1: FRAME_1, 2: FRAME_2}
CURRENT = FRAME_2

Rect = tuple[float, float, float, float]  # x, y, w, h in points, top-left origin
Point = tuple[float, float]


def mark_centres(page: tuple[float, float], frame: Frame = CURRENT) -> tuple[Point, Point, Point, Point]:
    """Top-left, top-right, bottom-right, bottom-left."""
    w, h = page
    i = frame.mark_inset
    return ((i, i), (w - i, i), (w - i, h - i), (i, h - i))


def code_rects(page: tuple[float, float], frame: Frame = CURRENT) -> tuple[Rect, ...]:
    """The codes: top-left, then (frame 2) its 180° image at the bottom-right."""
    w, h = page
    first = (frame.qr_x, frame.qr_y, QR_SIZE, QR_SIZE)
    if not frame.second_code:
        return (first,)
    return (first, (w - frame.qr_x - QR_SIZE, h - frame.qr_y - QR_SIZE, QR_SIZE, QR_SIZE))
