"""Test decks (logic-and-accuracy tests): pre-marked test ballots and the tally they must give.

Contract: `make_testdeck(store, count, out_dir, png=False, seed=...)` issues `count` serials
flagged test, writes `testdeck.pdf` (and `testdeck-NNN.png` pages at 150 dpi when asked) plus
`expected.json` = {"election", "fingerprint", "ballots", "tally": {question: {choice: votes}},
"selections": {serial: {question: [choices]}}}. The QR of every sheet carries the test flag:
official scans reject them, `urne scan --test-mode` reads them and stores them as test ballots,
which no official count includes. Selections are random but valid (seeded, reproducible).

The verdict: `verdict(store, expected, batch_results)` compares what a batch read back with
expected.json, ballot by ballot (PASS only when read exactly and counted without a person) and
as a tally; `urne scan --test-mode` and the counting window's "Test de dépouillement" print it.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ballots.ballot import BallotStatus
from ballots.election import Election, RuleKind
from ballots.errors import UrneError
from ballots.paper import ids, printing
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


# --- The verdict of a logic-and-accuracy test -------------------------------------------------

MATCH = "match"
MISSING = "missing"  # in expected.json, never read back
IN_REVIEW = "in_review"  # read, but a person would have to decide: the reader did not read it alone
MISMATCH = "mismatch"  # read and counted, but not what was printed
UNEXPECTED = "unexpected"  # a test ballot read in this batch that expected.json does not list
PAGE_REJECTED = "page_rejected"  # a page of the batch that is no readable ballot
VERDICT_WORDS = {
    MATCH: "lu exactement comme imprimé",
    MISSING: "jamais lu : scannez ce bulletin de test",
    IN_REVIEW: "envoyé à une personne : le lecteur ne l'a pas lu seul",
    MISMATCH: "lu différemment de ce qui a été imprimé",
    UNEXPECTED: "bulletin de test absent de expected.json (autre jeu ?)",
    PAGE_REJECTED: "page refusée par le lecteur",
}


@dataclass
class DeckError(UrneError):
    path: str
    problem: str

    def message(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class BallotVerdict:
    serial: str  # or "file p.N" for a rejected page
    ok: bool
    why: str  # MATCH, MISSING, IN_REVIEW, MISMATCH, UNEXPECTED, PAGE_REJECTED
    expected: dict[str, list[str]]
    read: dict[str, list[str]]


@dataclass(frozen=True)
class DeckVerdict:
    ballots: tuple[BallotVerdict, ...]
    expected_tally: dict[str, dict[str, int]]
    read_tally: dict[str, dict[str, int]]

    @property
    def ok(self) -> bool:
        return all(b.ok for b in self.ballots) and self.expected_tally == self.read_tally

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": "PASS" if self.ok else "FAIL",
            "tally_ok": self.expected_tally == self.read_tally,
            "ballots": [
                {
                    "serial": b.serial,
                    "verdict": "PASS" if b.ok else "FAIL",
                    "why": b.why,
                    "expected": b.expected,
                    "read": b.read,
                }
                for b in self.ballots
            ],
        }


def find_expected(paths: Iterable[str | os.PathLike[str]]) -> Path | None:
    """The deck's expected.json: in a given folder, or beside a given file."""
    for p in map(Path, paths):
        for candidate in (p / "expected.json", p.parent / "expected.json"):
            if candidate.is_file():
                return candidate
    return None


def load_expected(path: str | os.PathLike[str], election: Election) -> dict[str, object]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DeckError(str(path), f"« expected.json » illisible ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("selections"), dict):
        raise DeckError(str(path), "ce n'est pas le fichier « expected.json » d'un jeu de test")
    if doc.get("fingerprint") != election.fingerprint:
        raise DeckError(str(path), "ce jeu de test a été imprimé pour une autre élection (empreinte différente)")
    return doc


def _norm(election: Election, q: str, sel: Mapping[str, list[str]]) -> list[str]:
    """A ranking in its order; any other question's choices as a set."""
    kind = next((x.rule.kind for x in election.questions if x.id == q), None)
    return list(sel.get(q, [])) if kind is RuleKind.RANKED else sorted(sel.get(q, []))


def verdict(store: Store, expected: Mapping[str, object], results: Iterable[object]) -> DeckVerdict:
    """Compare what this batch read (the stored test ballots) with what the deck printed.

    Every ballot of expected.json must be read back exactly and counted without a person; every
    page of the batch must be one of them; the tally of what was read must equal the expected one.
    """
    election = store.election()
    selections = expected["selections"]
    assert isinstance(selections, dict)
    out: list[BallotVerdict] = []
    read_tally: dict[str, dict[str, int]] = {q.id: dict.fromkeys(q.choice_ids, 0) for q in election.questions}
    seen: set[str] = set()
    for r in results:
        serial = getattr(r, "serial", None)
        status = getattr(r, "status", "")
        if status == "rejected":
            where = f"{Path(str(getattr(r, 'source', ''))).name} p.{getattr(r, 'page', 0)}"
            out.append(
                BallotVerdict(serial or where, False, PAGE_REJECTED, {}, {"reasons": list(getattr(r, "reasons", ()))})
            )
        elif serial and serial not in selections and serial not in seen:
            out.append(BallotVerdict(serial, False, UNEXPECTED, {}, {}))
        if serial:
            seen.add(serial)
    secret = store.election_secret()
    for serial, want in selections.items():
        ballot = store.ballot(ids.ballot_id(secret, serial))  # stored under its keyed id (issue 17)
        want = {q: list(c) for q, c in want.items()}
        if ballot is None or serial not in seen:
            out.append(BallotVerdict(serial, False, MISSING, want, {}))
            continue
        got = {q: list(c) for q, c in ballot.selection.items()}
        for q, chosen in got.items():
            for c in chosen:
                if q in read_tally and c in read_tally[q]:
                    read_tally[q][c] += 1
        if ballot.status is not BallotStatus.COUNTED:
            out.append(BallotVerdict(serial, False, IN_REVIEW, want, got))
        elif any(_norm(election, q, got) != _norm(election, q, want) for q in {*got, *want}):
            out.append(BallotVerdict(serial, False, MISMATCH, want, got))
        else:
            out.append(BallotVerdict(serial, True, MATCH, want, got))
    tally = expected.get("tally", {})
    assert isinstance(tally, dict)

    return DeckVerdict(tuple(out), {q: dict(v) for q, v in tally.items()}, read_tally)
