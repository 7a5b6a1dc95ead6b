"""Screenshots of the counting window, and the scanned folder they (and the tests) count.

`python -m tools.counting_screenshots [--out docs/screenshots]` builds a store with the sample
budget, kiosk votes, and a folder of scanned official ballots including an ambiguous mark, a
photocopy (same serial, different marks), an exact duplicate file, a page whose QR code is
damaged, a blank page and a file that is not an image; it counts the folder in the scan station, takes one decision in the review
queue, and saves counting-*.png, review-*.png, results-*.png and the report's first page.

`make_count_folder(store, folder, ...)` is also what the pytest-qt tests use.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ballots import samples as sample_elections
from ballots.election import Election
from ballots.paper import geometry, printing, testdeck
from ballots.store import Store

DPI = 200  # the office scanner setting (PaperConfig.scan_dpi)


@dataclass(frozen=True)
class CountFolder:
    folder: Path
    serials: tuple[str, ...]  # every printed official ballot, in page order
    selections: dict[str, dict[str, tuple[str, ...]]]  # what was marked on each (clear marks only)
    ambiguous: str  # serial with one ambiguous mark (a middling dot) besides its clear marks
    ambiguous_choice: str
    photocopy: str  # serial scanned twice with different marks
    photocopy_extra: str  # the choice marked only on the copy
    junk: tuple[str, ...]  # file names that are not ballots
    unreadable: str  # serial of the ballot whose QR is damaged (scan-qr-illisible.png); staff type it
    unreadable_selection: dict[str, tuple[str, ...]]


def _box_px(election: Election, question: str, key: str) -> tuple[int, int, int, int]:
    lay = geometry.layout(election, "A")
    k = DPI / 72
    for b in lay.sheet_boxes(1):
        if b.question == question and b.key == key:
            x, y, w, h = b.rect
            return round(x * k), round(y * k), round(w * k), round(h * k)
    raise KeyError(key)


def _blob(img: np.ndarray, rect: tuple[int, int, int, int]) -> None:
    """A middling dot in the box: neither a speck nor a mark, so the reader asks a person."""
    x, y, w, h = rect
    cv2.circle(img, (x + w // 2, y + h // 2), int(w * 0.15), 30, -1, cv2.LINE_AA)


def _cross(img: np.ndarray, rect: tuple[int, int, int, int]) -> None:
    x, y, w, h = rect
    cv2.line(img, (x + 3, y + 3), (x + w - 3, y + h - 3), 20, 3, cv2.LINE_AA)
    cv2.line(img, (x + 3, y + h - 3), (x + w - 3, y + 3), 20, 3, cv2.LINE_AA)


def make_count_folder(store: Store, folder: Path, count: int = 8, seed: int = 7) -> CountFolder:
    """Official ballots printed, marked, rendered at 200 dpi and degraded into a scanner's folder."""
    election = store.election()
    q = election.questions[0]
    rng = random.Random(seed)
    selections = [testdeck.random_selection(election, rng) for _ in range(count + 1)]
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "ballots.pdf"
        serials = printing.print_ballots(
            store, count + 1, pdf, marks=[testdeck.box_keys(election, s) for s in selections]
        )
        pages = testdeck.render_pages(pdf, Path(tmp), DPI)
        images = [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in pages]
    # Ballot 0: an ambiguous dot in a box it did not mark.
    amb_choice = next(c for c in q.choice_ids if c not in selections[0][q.id])
    _blob(images[0], _box_px(election, q.id, amb_choice))
    # Ballot 1: a photocopy with one more cross, scanned as well as the original.
    extra = next(c for c in q.choice_ids if c not in selections[1][q.id])
    copy = images[1].copy()
    _cross(copy, _box_px(election, q.id, extra))
    # The last one: coffee stains across both its codes, and fed upside down.
    damaged = images.pop()
    k = DPI / 72
    for rect in geometry.code_rects(geometry.PAGE_SIZES["A4"]):
        x, y, side = (int(v * k) for v in rect[:3])
        damaged[y + side // 3 : y + 2 * side // 3, x : x + side] = 235
    cv2.imwrite(str(folder / "scan-qr-illisible.png"), cv2.rotate(damaged, cv2.ROTATE_180))
    for i, img in enumerate(images):
        cv2.imwrite(str(folder / f"scan-{i + 1:03d}.png"), img)
    cv2.imwrite(str(folder / "scan-002-copie.png"), copy)
    shutil.copy(folder / "scan-003.png", folder / "scan-003-bis.png")  # the same file twice
    cv2.imwrite(str(folder / "page-blanche.png"), np.full((2339, 1654), 250, np.uint8))
    (folder / "notes.png").write_bytes(b"this is not an image at all\n" * 4)
    return CountFolder(
        folder=folder,
        serials=tuple(serials[:count]),
        selections={s: dict(sel) for s, sel in zip(serials[:count], selections[:count], strict=True)},
        ambiguous=serials[0],
        ambiguous_choice=amb_choice,
        photocopy=serials[1],
        photocopy_extra=extra,
        junk=("page-blanche.png", "notes.png"),
        unreadable=serials[count],
        unreadable_selection=dict(selections[count]),
    )


def main() -> int:  # pragma: no cover - a script, run by hand and by `make screenshots`
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ballots import election_file
    from ballots.ballot import Channel, new_ballot
    from ballots.store import Polls
    from kiosk.config import Config
    from kiosk.ui.counting.window import build_counting_window

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data")
        election = election_file.load(sample_elections.path("budget-participatif"))
        store.install_election(election)
        store.set_polls(Polls.OPEN, actor="demo")
        rng = random.Random(3)
        q = election.questions[0]
        weights = [rng.random() ** 2 for _ in q.choice_ids]
        for _ in range(120):
            store.register_voter()
            chosen: list[str] = []
            for _ in range(rng.randint(1, 5)):
                c = rng.choices(q.choice_ids, weights)[0]
                if c not in chosen:
                    chosen.append(c)
            store.cast(new_ballot(election, {q.id: tuple(chosen)}, channel=Channel.KIOSK, device=store.device))
        store.set_polls(Polls.CLOSED, actor="demo")
        deck = make_count_folder(store, Path(tmp) / "scans", count=24)
        win = build_counting_window(Config(), store, actor="Mme Martin")
        win.resize(1280, 800)  # a 10" tablet or a small laptop: the window must be usable there
        win.show()
        station = win.scan
        assert station is not None
        station.workers = 1
        station.add_paths([deck.folder])
        station.start()
        while station.busy():
            app.processEvents()
        app.processEvents()
        win.show_page(station)
        app.processEvents()
        win.grab().save(str(out / "counting-station.png"))
        win.show_page(win.review)
        app.processEvents()
        win.grab().save(str(out / "review-ambiguous.png"))
        review = win.review
        review.show_ballot(deck.photocopy)  # type: ignore[attr-defined]
        app.processEvents()
        win.grab().save(str(out / "review-photocopy.png"))
        win.resize(1366, 768)
        app.processEvents()
        win.grab().save(str(out / "review-photocopy-1366x768.png"))
        win.resize(1280, 800)
        app.processEvents()
        review.reject()  # the commission declares the photocopied ballot nul (a votant, in the nuls)
        review.show_ballot(deck.ambiguous)
        review.decide_box("marked")
        review.validate()
        app.processEvents()
        win.show_page(win.rejected)
        app.processEvents()
        unreadable = next(i for i, x in enumerate(win.rejected.sheets) if x.source.endswith("scan-qr-illisible.png"))
        win.rejected.table.setCurrentCell(unreadable, 0)  # a sheet with an image: its print legible
        win.rejected.turn()
        win.rejected.turn()  # scanned upside down: two quarter turns
        app.processEvents()
        win.grab().save(str(out / "counting-rejected.png"))
        win.show_page(win.results)
        app.processEvents()
        win.grab().save(str(out / "results-final.png"))
        bar = win.results.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())
        app.processEvents()
        win.grab().save(str(out / "results-budget.png"))
        pdf = Path(tmp) / "pv.pdf"
        from ballots import results
        from ballots.report import pdf as report_pdf

        report_pdf.write_pdf(results.from_store(store), pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "2", "-l", "2", "-singlefile", str(pdf),
                        str(out / "report-page2")], check=False)  # fmt: skip
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(out / "report-page1")], check=False)  # fmt: skip
        win.close()
        store.close()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
