"""Test decks (logic-and-accuracy tests): pre-marked test ballots and the tally they must give.

Contract: `make_testdeck(store, count, out_dir, png=False, seed=...)` issues `count` serials
flagged test, writes `testdeck.pdf` (and `testdeck-NNN.png` pages at 150 dpi when asked) plus
`expected.json` = {"election", "fingerprint", "ballots", "tally": {question: {choice: votes}},
"selections": {serial: {question: [choices]}}}. The QR of every sheet carries the test flag:
official scans reject them, `urne scan --test-mode` reads them and stores them as test ballots,
which no official count includes. Selections are random but valid (seeded, reproducible).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ballots.election import Election, RuleKind
from ballots.paper import printing
from ballots.rules import spent
from ballots.store import Store

PNG_DPI = 150


def random_selection(election: Election, rng: random.Random) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for q in election.questions:
        ids = list(q.choice_ids)
        hi = 1 if q.rule.kind is RuleKind.SINGLE else max(min(q.rule.max or len(ids), len(ids)), 1)
        lo = 1 if q.rule.kind is RuleKind.SINGLE else min(q.rule.min, hi)
        k = rng.randint(lo, hi)
        chosen = rng.sample(ids, k)
        while q.rule.kind is RuleKind.BUDGET and q.rule.budget and spent(q, chosen) > q.rule.budget and chosen:
            chosen.pop()
        out[q.id] = tuple(chosen)
    return out


def box_keys(election: Election, selection: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for q in election.questions:
        chosen = selection.get(q.id, ())
        if q.rule.kind is RuleKind.RANKED:
            keys[q.id] = {f"{c}@{i + 1}" for i, c in enumerate(chosen)}
        else:
            keys[q.id] = set(chosen)
    return keys


def make_testdeck(
    store: Store,
    count: int,
    out_dir: str | Path,
    *,
    png: bool = False,
    pdf: bool = True,
    seed: int = 2026,
    page_size: str = "A4",
) -> dict[str, object]:
    election = store.election()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    selections = [random_selection(election, rng) for _ in range(count)]
    pdf_path = out / "testdeck.pdf"
    serials = printing.print_ballots(
        store, count, pdf_path, page_size, test=True, marks=[box_keys(election, s) for s in selections]
    )
    tally: dict[str, dict[str, int]] = {q.id: dict.fromkeys(q.choice_ids, 0) for q in election.questions}
    for sel in selections:
        for qid, chosen in sel.items():
            for c in chosen:
                tally[qid][c] += 1
    expected = {
        "election": election.id,
        "fingerprint": election.fingerprint,
        "ballots": count,
        "test": True,
        "tally": tally,
        "selections": {s: {q: list(c) for q, c in sel.items()} for s, sel in zip(serials, selections, strict=True)},
    }
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2), encoding="utf-8")
    if png:
        for i, path in enumerate(render_pages(pdf_path, out, PNG_DPI), start=1):
            path.rename(out / f"testdeck-{i:03d}.png")
    if not pdf:
        pdf_path.unlink()
    return expected


def render_pages(pdf_path: Path, out_dir: Path, dpi: int) -> list[Path]:
    """Every page of a PDF as a grey PNG (pdfium, in process)."""
    import cv2
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    paths = []
    try:
        for i in range(len(doc)):
            arr = doc[i].render(scale=dpi / 72, grayscale=True).to_numpy()
            arr = arr[..., 0] if arr.ndim == 3 else arr
            p = out_dir / f"_page-{i + 1:03d}.png"
            cv2.imwrite(str(p), arr)
            paths.append(p)
    finally:
        doc.close()
    return paths
