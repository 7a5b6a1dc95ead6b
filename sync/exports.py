"""File exports for platforms Urne cannot reach by API. All count the deduplicated ballots
(`merge.counted_ballots`: conflicts held aside) and write atomically (temp name, fsync, rename).

Contracts:
- `capcollectif_csv`: Cap Collectif back-office import, `reference;title;votes-total`
  (+ `;points-total` for ranked questions), UTF-8 with BOM. More than 500 rows or 80 KB raises
  ExportError naming the limit, and nothing is written.
- `decidim_csv`: Decidim's paper-ballot import `id;paper_ballots_to_import`, which ADDS to what
  the platform has. Urne writes only the change since the last Decidim export (negative to
  correct) and remembers, in the store, what it exported, once the file is in place.
- `consul_csv`: Consul's budget officing sheet, one line per counted ballot listing the chosen
  project ids, lines shuffled so the file does not reveal the order of votes.
- `pabulib_pb`: a pabulib `.pb` file via `ballots.pabulib.dump`.
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Iterable
from pathlib import Path

from ballots import audit
from ballots.ballot import Ballot
from ballots.durable import atomic_write
from ballots.election import Election, Question, RuleKind
from ballots.store import Store
from ballots.tally import tally
from sync import merge, schema
from sync.errors import ExportError

CAPCOLLECTIF_MAX_ROWS = 500
CAPCOLLECTIF_MAX_BYTES = 80 * 1024
FORMATS = ("capcollectif", "decidim", "consul", "pabulib")


def _question(election: Election, question: str | None) -> Question:
    try:
        return election.question(question) if question else election.questions[0]
    except KeyError:
        raise ExportError("-", f"no question '{question}' in {election.id}") from None


def capcollectif_csv(
    election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str], *, question: str | None = None
) -> int:
    q = _question(election, question)
    if len(q.choices) > CAPCOLLECTIF_MAX_ROWS:
        raise ExportError(
            "Cap Collectif",
            f"{len(q.choices)} proposals: the back-office import takes at most {CAPCOLLECTIF_MAX_ROWS} rows",
        )
    t = tally(election, ballots).question(q.id)
    ranked = q.rule.kind is RuleKind.RANKED
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["reference", "title", "votes-total"] + (["points-total"] if ranked else []))
    votes, points = t.votes(), t.points()
    for c in q.choices:
        w.writerow([c.id, c.title.get("fr"), votes[c.id]] + ([points[c.id]] if ranked else []))
    data = buf.getvalue().encode("utf-8-sig")
    if len(data) > CAPCOLLECTIF_MAX_BYTES:
        raise ExportError("Cap Collectif", f"{len(data)} bytes: the back-office import takes at most 80 KB")
    atomic_write(path, data)
    return len(q.choices)


def decidim_csv(store: Store, path: str | os.PathLike[str], *, question: str | None = None) -> dict[str, int]:
    """Returns the change written per choice (only choices whose count moved)."""
    schema.ensure(store)
    election = store.election()
    q = _question(election, question)
    votes = tally(election, merge.counted_ballots(store, election.id)).question(q.id).votes()
    before = dict(
        store.conn.execute(
            "SELECT choice, votes FROM sync_exported WHERE election = ? AND target = 'decidim' AND question = ?",
            [election.id, q.id],
        ).fetchall()
    )
    delta = {c: votes[c] - before.get(c, 0) for c in q.choice_ids if votes[c] != before.get(c, 0)}
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["id", "paper_ballots_to_import"])
    for c, d in delta.items():
        w.writerow([c, d])
    atomic_write(path, buf.getvalue().encode("utf-8"))
    # Remembered once the file is in place: a failure before leaves the next export complete.
    with store.transaction() as db:
        db.conn.executemany(
            "INSERT OR REPLACE INTO sync_exported (election, target, question, choice, votes) VALUES (?, 'decidim', ?, ?, ?)",
            [[election.id, q.id, c, votes[c]] for c in q.choice_ids],
        )
        audit.append(db, "sync", "export.decidim", {"election": election.id, "rows": len(delta)})
    return delta


def consul_csv(
    election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str], *, question: str | None = None
) -> int:
    q = _question(election, question)
    lines = [
        ",".join(b.selection.get(q.id, ()))
        for b in ballots
        if b.election == election.id and not b.test and b.status.value == "counted" and b.selection.get(q.id)
    ]
    random.SystemRandom().shuffle(lines)
    atomic_write(path, ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"))
    return len(lines)


def pabulib_pb(election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str]) -> Path:
    try:
        from ballots import pabulib
    except ImportError as exc:  # another part of Urne; absent in a partial checkout
        raise ExportError("pabulib", "ballots.pabulib is not available in this build") from exc
    dump = getattr(pabulib, "dump", None)
    if dump is None:
        raise ExportError("pabulib", "ballots.pabulib has no dump() in this build")
    return Path(dump(election, list(ballots), path))


def export(store: Store, fmt: str, path: str | os.PathLike[str], *, question: str | None = None) -> str:
    """Run one export; returns a one-line summary for the command line."""
    election = store.election()
    if fmt == "capcollectif":
        n = capcollectif_csv(election, merge.counted_ballots(store, election.id), path, question=question)
        return f"{path}: {n} proposal(s), Cap Collectif back-office CSV (UTF-8 with BOM)"
    if fmt == "decidim":
        delta = decidim_csv(store, path, question=question)
        return (
            f"{path}: {len(delta)} project(s) changed since the last Decidim export ({sum(delta.values()):+d} ballots)"
        )
    if fmt == "consul":
        n = consul_csv(election, merge.counted_ballots(store, election.id), path, question=question)
        return f"{path}: {n} ballot line(s), shuffled, Consul officing CSV"
    if fmt == "pabulib":
        pabulib_pb(election, merge.counted_ballots(store, election.id), path)
        return f"{path}: pabulib .pb"
    raise ExportError(fmt, f"unknown format (one of {', '.join(FORMATS)})")
