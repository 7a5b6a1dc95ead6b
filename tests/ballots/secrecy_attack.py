"""An attacker holding a copy of a kiosk's data folder (or a backup), and the truth to score it.

The attacker knows the register key (the worst case: it is not in the folder, but every device of
the election has it), so it can name the voter of every register entry. Its job is to pair
register entries with ballots, and to put ballots in voting order, from the raw bytes only:

- physical order: where each ballot id and each register fingerprint sits in the main file
  (page, then offset in the page: SQLite puts a new cell below the previous ones), read
  both forwards and backwards;
- per page: the order of cells inside each page (cells higher up came in earlier);
- per page, the lowest cell: SQLite puts what comes later below the cells already in a page;
  so the lowest cell of a page is bet to be newer than the other cells of that page
  (measured: right 75 % of the time on a store whose pages are left as SQLite wrote them,
  see tests/ballots/test_secrecy.py). Scored two ways: `orders["lowest"]` over every pair
  (lowest, other) of the first page each id is seen in, and `bets`: one bet per page of
  EVERY b-tree holding ballot ids (table, index, outbox, interior pages), "the lowest cell
  is newer than the one just above it", keeping only bets on ballots no earlier bet used.
  The pairs of one page share their lowest cell, so they are not independent and their
  concordance spreads far more than a coin's (about 0.05 on 1 900 pairs of ~60 pages, not
  0.012); the `bets` are on disjoint ballots, chosen from the layout alone, so if the layout
  says nothing about the voting order their wins are exactly Binomial(bets, 1/2) and can be
  bounded honestly (`binomial_bounds`);
- recent commits: ids in the journal or WAL that differ from the main file are the latest
  ones; a ballot and an entry that are both "latest" are paired (a link).

`score()` returns, per copy: links (pairs the attacker singles out that are right), rank hits
(pairing by physical rank: chance level is about 1), and the fraction of concordant pairs
between each physical order and the true order (chance level 50 %).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
HEX64 = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


@dataclass(frozen=True)
class Score:
    files: tuple[str, ...]
    ballots_seen: int
    links: int  # right pairs singled out as "the latest ballot and the latest entry"
    rank_hits: int  # right pairs when pairing ballots and entries by physical rank
    orders: dict[str, tuple[int, int]]  # attack -> (concordant pairs, pairs) with the voting order
    bets: tuple[tuple[str, str], ...] = ()  # (lowest cell, the cell above it): one per page, disjoint
    groups: dict[str, tuple[int, ...]] = field(default_factory=dict)  # attack -> sizes of the ranked groups

    def bounds(self, attack: str, level: float = 0.999) -> tuple[float, float]:
        """Where the concordance of `attack` ("file", "pages") falls with probability `level`
        when the layout says nothing about the order: its pairs share ballots, so the spread
        is Kendall's (a group of k ranked ids: variance k(k-1)(2k+5)/72 concordant pairs), not
        a coin's; groups (pages) are taken as independent."""
        return kendall_bounds(self.groups[attack], level)

    def wins(self, truth: Mapping[str, int]) -> int:
        """Bets won: the lowest cell was cast after the cell above it."""
        return sum(truth[low] > truth[above] for low, above in self.bets)

    def concordance(self, attack: str) -> float:
        c, p = self.orders[attack]
        return c / p if p else 0.5

    @property
    def worst(self) -> float:
        """The attack whose order agrees most (or least) with the voting order."""
        return max((self.concordance(a) for a in self.orders), key=lambda f: abs(f - 0.5))


def _positions(data: bytes, pattern: re.Pattern[bytes], page_size: int) -> dict[str, tuple[int, int]]:
    """First occurrence of each match: (page, offset in page)."""
    found: dict[str, tuple[int, int]] = {}
    for m in pattern.finditer(data):
        key = m.group().decode()
        if key not in found:
            found[key] = (m.start() // page_size, m.start() % page_size)
    return found


def _concordance(order: Sequence[str], truth: Mapping[str, int]) -> tuple[int, int]:
    """Concordant pairs, pairs: how often physical order agrees with voting order."""
    ranks = [truth[k] for k in order if k in truth]
    concordant = pairs = 0
    for i in range(len(ranks)):
        for j in range(i + 1, len(ranks)):
            pairs += 1
            concordant += ranks[i] < ranks[j]
    return concordant, pairs


def _within_pages(pos: Mapping[str, tuple[int, int]], truth: Mapping[str, int]) -> tuple[int, int]:
    """Concordance of 'higher in the page came in earlier', over pairs in the same page."""
    pages: dict[int, list[tuple[int, str]]] = {}
    for key, (page, offset) in pos.items():
        if key in truth:
            pages.setdefault(page, []).append((-offset, key))
    concordant = pairs = 0
    for cells in pages.values():
        c, p = _concordance([k for _, k in sorted(cells)], truth)
        concordant += c
        pairs += p
    return concordant, pairs


def _lowest_cell(pos: Mapping[str, tuple[int, int]], truth: Mapping[str, int]) -> tuple[int, int]:
    """Concordance of 'the lowest cell of a page came after every other cell of that page'."""
    pages: dict[int, list[tuple[int, str]]] = {}
    for key, (page, offset) in pos.items():
        if key in truth:
            pages.setdefault(page, []).append((offset, key))
    concordant = pairs = 0
    for cells in pages.values():
        if len(cells) < 2:
            continue
        cells.sort()
        newest = truth[cells[0][1]]
        for _, other in cells[1:]:
            pairs += 1
            concordant += truth[other] < newest
    return concordant, pairs


def page_bets(main: bytes, truth: Mapping[str, int], page_size: int) -> list[tuple[str, str]]:
    """One bet per page holding two ids or more, every occurrence counted (a ballot id sits in
    its table, its index, the outbox, interior pages): (lowest cell, the cell just above it).
    A bet whose ballots an earlier one used is dropped, so the bets are on disjoint ballots."""
    pages: dict[int, list[tuple[int, str]]] = {}
    for m in UUID.finditer(main):
        key = m.group().decode()
        if key in truth:
            pages.setdefault(m.start() // page_size, []).append((m.start() % page_size, key))
    used: set[str] = set()
    bets = []
    for page in sorted(pages):
        cells = sorted(set(pages[page]))
        ids = list(dict.fromkeys(k for _, k in cells))  # one cell per id (first in the page)
        if len(ids) < 2 or ids[0] in used or ids[1] in used:
            continue
        used.update(ids[:2])
        bets.append((ids[0], ids[1]))
    return bets


def disjoint(bets: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The bets (from several copies) whose ballots no earlier bet used: still independent
    fair coins when the layout says nothing about the order (a page unchanged between two
    copies gives its bet once)."""
    used: set[str] = set()
    kept = []
    for low, above in bets:
        if low not in used and above not in used:
            used.update((low, above))
            kept.append((low, above))
    return kept


def kendall_bounds(sizes: Iterable[int], level: float = 0.999) -> tuple[float, float]:
    """0.5 +- z sd of the fraction of concordant pairs over groups of `sizes` ranked at random."""
    pairs = var = 0.0
    for k in sizes:
        pairs += k * (k - 1) / 2
        var += k * (k - 1) * (2 * k + 5) / 72
    if not pairs:
        return 0.0, 1.0
    z = statistics.NormalDist().inv_cdf(1 - (1 - level) / 2)
    half = z * math.sqrt(var) / pairs
    return 0.5 - half, 0.5 + half


def binomial_bounds(n: int, level: float = 0.999) -> tuple[int, int]:
    """Wins out of n fair coin flips, two-sided: outside [lo, hi] with probability < 1 - level."""
    tail = (1 - level) / 2
    cum, lo = 0.0, 0
    for k in range(n + 1):
        cum += math.comb(n, k) / 2**n
        if cum > tail:
            lo = k
            break
    return lo, n - lo


def _page_size(main: bytes) -> int:
    if len(main) >= 18 and main.startswith(b"SQLite format 3\x00"):
        size = int.from_bytes(main[16:18], "big")
        return 65536 if size == 1 else size
    return 4096


def score(folder: Path, truth: Mapping[str, int], voters: Mapping[str, int]) -> Score:
    """`truth`: ballot id -> voting rank; `voters`: register fingerprint -> voting rank."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    main_path = next((p for p in files if p.name.endswith(".sqlite")), files[0])
    main = main_path.read_bytes()
    page = _page_size(main)
    b_pos = _positions(main, UUID, page)
    r_pos = {k: v for k, v in _positions(main, HEX64, page).items() if k in voters}
    b_pos = {k: v for k, v in b_pos.items() if k in truth}

    # Orders an attacker may try: by position in the file, and cell order inside each page.
    # (Backwards is the same statistic mirrored: 1 - forwards.)
    orders = {
        "file": _concordance(sorted(b_pos, key=lambda k: b_pos[k]), truth),
        "pages": _within_pages(b_pos, truth),
        "lowest": _lowest_cell(b_pos, truth),
    }
    per_page: dict[int, int] = {}
    for page_no, _ in b_pos.values():
        per_page[page_no] = per_page.get(page_no, 0) + 1
    groups = {"file": (len(b_pos),), "pages": tuple(k for k in per_page.values() if k > 1)}

    # Pairing by physical rank (both orders sorted the same way).
    ballots_ranked = sorted(b_pos, key=lambda k: b_pos[k])
    voters_ranked = sorted(r_pos, key=lambda k: r_pos[k])
    rank_hits = sum(1 for b, v in zip(ballots_ranked, voters_ranked, strict=False) if truth[b] == voters[v])

    # The latest commits: what the journal or WAL holds that the main file does not (or the reverse).
    links = 0
    for aux_path in files:
        if aux_path == main_path or aux_path.stat().st_size == 0:
            continue
        aux = aux_path.read_bytes()
        for new_b, new_r in _recent(main, aux, truth, voters):
            links += sum(1 for b in new_b for v in new_r if truth[b] == voters[v] and len(new_b) == len(new_r) == 1)
    return Score(
        tuple(p.name for p in files),
        len(b_pos),
        links,
        rank_hits,
        orders,
        tuple(page_bets(main, truth, page)),
        groups,
    )


def _ids(data: bytes, truth: Mapping[str, int], voters: Mapping[str, int]) -> tuple[set[str], set[str]]:
    b = {m.group().decode() for m in UUID.finditer(data)} & set(truth)
    r = {m.group().decode() for m in HEX64.finditer(data)} & set(voters)
    return b, r


def _recent(
    main: bytes, aux: bytes, truth: Mapping[str, int], voters: Mapping[str, int]
) -> Iterable[tuple[set[str], set[str]]]:
    """Per commit found in `aux` (a WAL's commits, or one rollback journal): its new ids."""
    main_b, main_r = _ids(main, truth, voters)
    if aux[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"):  # WAL: frames grouped by commit
        page_size = int.from_bytes(aux[8:12], "big")
        seen_b, seen_r = set(), set()
        group = bytearray()
        off = 32
        while off + 24 + page_size <= len(aux):
            commit = int.from_bytes(aux[off + 4 : off + 8], "big")
            group += aux[off + 24 : off + 24 + page_size]
            off += 24 + page_size
            if commit:
                b, r = _ids(bytes(group), truth, voters)
                yield b - seen_b, r - seen_r
                seen_b |= b
                seen_r |= r
                group = bytearray()
        return
    # Rollback journal: the pages as they were before the commit under way.
    old_b, old_r = _ids(aux, truth, voters)
    if old_b:
        yield main_b - old_b, set()
    if old_r:
        yield set(), main_r - old_r
    if old_b and old_r:
        yield main_b - old_b, main_r - old_r
