"""Helpers for the paper tests: real PDFs printed by our code, rendered by pdfium, marked with OpenCV."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from ballots.paper import sheet as paper_sheet
from bench import paper_corpus

DPI = 150


def render(pdf: Path, dpi: int = DPI) -> list[np.ndarray]:
    return paper_corpus.render_pdf_pages(pdf, dpi)


def mark(
    page: np.ndarray, lay, marks: dict[str, str], *, dpi: int = DPI, sheet: int = 1, seed: int = 1, tool: str = "pen"
) -> np.ndarray:
    """Draw `marks` (box key -> kind: x, tick, fill, partial, dot, stray) on a copy of `page`."""
    img = page.copy()
    rng = random.Random(seed)
    k = dpi / 72
    for b in lay.sheet_boxes(sheet):
        if b.key in marks:
            paper_corpus.draw(img, tuple(v * k for v in b.rect), marks[b.key], tool, dpi / 25.4, rng)
    return img


def write(img: np.ndarray, path: Path, jpeg: int = 0) -> Path:
    path.write_bytes(paper_corpus.encode(img, jpeg))
    return path


def turn(img: np.ndarray, angle: float, scale: float = 1.0) -> np.ndarray:
    d = paper_corpus.Degrade(angle=angle, scale=scale)
    return paper_corpus.degrade(img.copy(), d, random.Random(0), [])


def printed_sample(paper_store, tmp_path, dpi=200):
    from ballots.paper import geometry
    from ballots.paper.printing import print_ballots

    print_ballots(paper_store, 1, tmp_path / "b.pdf")
    return render(tmp_path / "b.pdf", dpi)[0], geometry.layout(paper_store.election(), "A")


def frames_sheet(paper_store, tmp_path, plan_for, seed: int, capture=None, dpi=200):
    """A sample ballot marked with `bench/paper_frames` (colour inks, an independent generator)."""
    from bench import paper_frames

    page, lay = printed_sample(paper_store, tmp_path, dpi)
    rng = random.Random(seed)
    img = paper_frames.to_bgr(page)
    plan = {}
    for i, b in enumerate(lay.sheet_boxes(1)):
        if (what := plan_for(i, rng)) is not None:
            paper_frames.draw_mark(img, tuple(v * dpi / 72 for v in b.rect), *what, dpi / 25.4, rng)
            plan[b.key] = what
    cap = capture or paper_frames.Capture(mode="grey")
    data, suffix = paper_frames.capture(img, cap, rng)
    path = tmp_path / f"s{seed}{suffix}"
    path.write_bytes(data)
    read = paper_sheet.read_page(str(path), 1, paper_store.election(), paper_store.election_secret(), evidence=False)
    assert read.error is None, read.error
    return plan, {b.key: b for b in read.boxes}


def golden_crop(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int, int, int], float, bool]:
    """A box's crop as the reader saw it (`golden/<name>.npz`, saved at `crossed_out`'s call):
    its ink and print (0/1), its darkness, (mp, side, a, b), the shade threshold and whether the
    scan was 1-bit."""
    g = np.load(Path(__file__).parent / "golden" / f"{name}.npz")
    mp, side, a, b = (int(v) for v in g["geometry"])
    return (
        g["ink"].astype(np.uint8),
        g["darkness"].astype(np.float32),
        g["printed"].astype(np.uint8),
        (mp, side, a, b),
        float(g["shade_at"]),
        bool(g["bitonal"]) if "bitonal" in g.files else False,  # the first goldens were all scans in shades
    )


def replay_drawn(tmp_path: Path, seed: int, name: str, family: str | None = None) -> tuple[dict, dict]:
    """Sheet `seed` of `bench_scan_hard` (its election `name` only printed; `family` as `--family`
    gives it) made again exactly and read: its plan (box key -> kind, ink, truth) and its reads by
    key. The election's pabulib file is needed: the caller's test is skipped where it is absent."""
    import pytest

    from bench import bench_scan_hard

    if not bench_scan_hard.PABULIB.exists():
        pytest.skip("../shared/data/pabulib is absent")
    setups = bench_scan_hard.fixed_setups(tmp_path, only={name})
    bench_scan_hard._init(setups, str(tmp_path), family=family)
    made = bench_scan_hard.make_sheet(seed)
    assert made["name"] == name
    path = tmp_path / f"s{made['suffix']}"
    path.write_bytes(made["data"])
    read = paper_sheet.read_page(str(path), 1, made["election"], made["secret"], evidence=False)
    return made["plan"], {b.key: b for b in read.boxes}


def decided_wrong(plan: dict, boxes: dict) -> list[tuple]:
    """The boxes read neither as drawn nor sent to a person."""
    return [(k, b.state, b.why) for k, b in boxes.items() if b.state not in ("ambiguous", plan[k][2])]
