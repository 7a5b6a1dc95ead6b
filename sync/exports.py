"""File exports for platforms Urne cannot reach by API.

Every export is built from `ballots.tally.answers`, the function `urne tally` counts with: the
deduplicated counted ballots (`merge.counted_ballots`: conflicts held aside), each question's
answer checked against its rule; an answer the tally counts invalid (7 marks where 5 are allowed)
goes to no platform. Files are written atomically (temp name, fsync, rename). A test parses each
export back with the platform's own rules and finds the tally.

Platform ids: Decidim and Consul only know their own numeric ids, and Cap Collectif its proposal
references. An election maps each choice to them (`Choice.platform_ids`: pulled from Purpoz
automatically, `ids = { decidim = 12, consul = 7, capcollectif = "3-12" }` in the election file);
an export that lacks one is refused, naming the missing choices, and nothing is written.

Contracts:
- `capcollectif_csv`: the back-office import of paper votes, `reference;title;votes-total`
  (+ `;points-total` on ranked steps), UTF-8 with BOM, as the platform's own template writes it:
  the reference as `=\"\"\"REF\"\"\"`, every title quoted (the platform splits rows on commas too),
  a `"` in a title written as `”` (a quote would end the cell). At most 500 rows and 80 000 bytes
  (the platform's limits), else ExportError and nothing written.
- `decidim_csv`: Decidim's paper-ballot import `id;paper_ballots_to_import`, which ADDS to what the
  platform has. Urne writes the change since the totals staff CONFIRMED were imported
  (`decidim_confirm`), never since the last file written: a file that was never imported is
  replaced by the next one (its own confirmation is then refused), a file confirmed twice is
  refused, and `decidim_drift` shows Urne's count beside what Decidim was confirmed to hold.
- `consul_csv`: Consul's budget officing sheet, one line per counted ballot with a valid, non-blank
  answer, listing Consul's investment ids, lines shuffled (the file does not reveal the order).
- `pabulib_pb`: a pabulib `.pb` file via `ballots.pabulib.dump` (built from the same answers).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ballots import audit, integrity
from ballots.ballot import Ballot
from ballots.durable import atomic_write
from ballots.election import Election, Question, RuleKind
from ballots.file_problems import os_words
from ballots.store import Store
from ballots.tally import answers, counted_ballots, tally
from sync import merge, schema
from sync.errors import ExportError

CAPCOLLECTIF_MAX_ROWS = 500
CAPCOLLECTIF_MAX_BYTES = 80_000  # the back office refuses a larger file
FORMATS = ("capcollectif", "decidim", "consul", "pabulib")
PLATFORM_NAMES = {"capcollectif": "Cap Collectif", "decidim": "Decidim", "consul": "Consul"}


def _question(election: Election, question: str | None) -> Question:
    try:
        return election.question(question) if question else election.questions[0]
    except KeyError:
        raise ExportError("-", f"pas de question « {question} » dans « {election.id} »") from None


def platform_ids(q: Question, platform: str, *, numeric: bool = False) -> dict[str, str]:
    """Choice id -> the platform's id, or ExportError naming every choice without one."""
    name = PLATFORM_NAMES[platform]
    ids = {c.id: c.platform_id(platform) for c in q.choices}
    missing = [cid for cid, pid in ids.items() if not pid]
    if missing:
        shown = ", ".join(missing[:10]) + (f" et {len(missing) - 10} autres" if len(missing) > 10 else "")
        raise ExportError(
            name,
            f"{len(missing)} choix sans identifiant {name} : {shown}. Ajoutez `ids = {{ {platform} = ... }}` à chaque "
            "choix du fichier d'élection (les élections venues de Purpoz les ont déjà)",
        )
    if numeric:
        bad = [f"{cid} ({pid})" for cid, pid in ids.items() if not str(pid).isdigit()]
        if bad:
            raise ExportError(name, f"les identifiants {name} sont des nombres ; pas ceux-ci : {', '.join(bad[:10])}")
    dup = [pid for pid, n in Counter(ids.values()).items() if n > 1]
    if dup:
        raise ExportError(
            name, f"le même identifiant {name} est donné à plusieurs choix : {', '.join(map(str, dup[:10]))}"
        )
    return {cid: str(pid) for cid, pid in ids.items()}


def _cc_cell(text: str) -> str:
    return text.replace('"', "”").replace("\r", " ").replace("\n", " ")


def capcollectif_bytes(election: Election, ballots: Iterable[Ballot], *, question: str | None = None) -> bytes:
    q = _question(election, question)
    if len(q.choices) > CAPCOLLECTIF_MAX_ROWS:
        raise ExportError(
            "Cap Collectif",
            f"{len(q.choices)} propositions : l'import du back-office en prend au plus {CAPCOLLECTIF_MAX_ROWS}",
        )
    refs = platform_ids(q, "capcollectif")
    t = tally(election, ballots).question(q.id)
    ranked = q.rule.kind is RuleKind.RANKED
    votes, points = t.votes(), t.points()
    header = ["reference", "title", "votes-total"] + (["points-total"] if ranked else [])
    lines = [";".join(header)]
    for c in q.choices:
        # the platform's template: ="""REF""";"Title";N — a quoted title may hold , and ;
        row = f'="""{_cc_cell(refs[c.id])}""";"{_cc_cell(c.title.get("fr"))}";{votes[c.id]}'
        lines.append(row + (f";{points[c.id]}" if ranked else ""))
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    if len(data) > CAPCOLLECTIF_MAX_BYTES:
        raise ExportError(
            "Cap Collectif", f"{len(data)} octets : l'import du back-office en prend au plus {CAPCOLLECTIF_MAX_BYTES}"
        )
    return data


def capcollectif_csv(
    election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str], *, question: str | None = None
) -> int:
    data = capcollectif_bytes(election, ballots, question=question)
    atomic_write(path, data)
    return len(_question(election, question).choices)


# -- Decidim: additive, so Urne keeps what staff confirmed the platform holds ------------------


@dataclass(frozen=True)
class DecidimExport:
    delta: dict[str, int]  # choice id -> number written (only choices that moved)
    superseded: tuple[str, ...]  # days of earlier files never confirmed: not to be imported now


def _confirmed(store: Store, election: str, question: str) -> dict[str, int]:
    return dict(
        store.conn.execute(
            "SELECT choice, votes FROM sync_exported WHERE election = ? AND target = 'decidim' AND question = ?",
            [election, question],
        ).fetchall()
    )


def decidim_csv(store: Store, path: str | os.PathLike[str], *, question: str | None = None) -> DecidimExport:
    """Write the change since the last CONFIRMED import; remember the file as pending."""
    schema.ensure(store)
    election = store.election()
    q = _question(election, question)
    ids = platform_ids(q, "decidim", numeric=True)
    votes = tally(election, merge.counted_ballots(store, election.id)).question(q.id).votes()
    before = _confirmed(store, election.id, q.id)
    delta = {c: votes[c] - before.get(c, 0) for c in q.choice_ids if votes[c] != before.get(c, 0)}
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["id", "paper_ballots_to_import"])
    for c, d in delta.items():
        w.writerow([ids[c], d])
    data = buf.getvalue().encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    with store.transaction() as db:
        pending = db.conn.execute(
            "SELECT sha256, day FROM sync_export_files WHERE election = ? AND target = 'decidim' AND question = ?"
            " AND status = 'pending' AND sha256 != ?",
            [election.id, q.id, digest],
        ).fetchall()
        db.conn.execute(
            "UPDATE sync_export_files SET status = 'superseded' WHERE election = ? AND target = 'decidim'"
            " AND question = ? AND status = 'pending' AND sha256 != ?",
            [election.id, q.id, digest],
        )
        db.conn.execute(
            "INSERT OR IGNORE INTO sync_export_files (sha256, election, target, question, day, base, totals, status)"
            " VALUES (?, ?, 'decidim', ?, ?, ?, ?, 'pending')",
            [
                digest,
                election.id,
                q.id,
                audit.utc_now().date().isoformat(),
                json.dumps(before, sort_keys=True),
                json.dumps({c: votes[c] for c in q.choice_ids}, sort_keys=True),
            ],
        )
        audit.append(db, "sync", "export.decidim", {"election": election.id, "rows": len(delta), "sha256": digest})
    atomic_write(path, data)
    return DecidimExport(delta, tuple(day for _, day in pending))


def decidim_confirm(store: Store, path: str | os.PathLike[str], *, actor: str = "cli") -> dict[str, int]:
    """Staff say the file at `path` was imported on Decidim: its totals become what Decidim holds."""
    schema.ensure(store)
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise ExportError("Decidim", f"{path} illisible ({os_words(exc)})") from None
    row = store.conn.execute(
        "SELECT election, question, day, base, totals, status FROM sync_export_files"
        " WHERE sha256 = ? AND target = 'decidim'",
        [digest],
    ).fetchone()
    if row is None:
        raise ExportError("Decidim", f"{path} n'est pas un fichier exporté par Urne (ou il a changé depuis)")
    election, question, day, base, totals, status = row
    if status == "imported":
        raise ExportError(
            "Decidim",
            f"{path} (du {day}) est déjà consigné comme importé : l'importer deux fois ajoute ses nombres deux fois",
        )
    if status == "superseded":
        raise ExportError(
            "Decidim",
            f"{path} (du {day}) a été remplacé par un export plus récent ; n'importez que le plus récent, puis confirmez-le",
        )
    if json.loads(base) != _confirmed(store, election, question):
        raise ExportError("Decidim", f"{path} a été calculé sur d'autres totaux confirmés : exportez à nouveau")
    new = json.loads(totals)
    with store.transaction() as db:
        db.conn.executemany(
            "INSERT OR REPLACE INTO sync_exported (election, target, question, choice, votes)"
            " VALUES (?, 'decidim', ?, ?, ?)",
            [[election, question, c, v] for c, v in new.items()],
        )
        db.conn.execute("UPDATE sync_export_files SET status = 'imported' WHERE sha256 = ?", [digest])
        audit.append(db, actor, "export.decidim.imported", {"election": election, "sha256": digest})
    return dict(new)


def decidim_drift(store: Store, *, question: str | None = None) -> dict[str, tuple[int, int]]:
    """Choice -> (Urne's count, what Decidim was confirmed to hold), for the choices that differ."""
    schema.ensure(store)
    election = store.election()
    q = _question(election, question)
    votes = tally(election, merge.counted_ballots(store, election.id)).question(q.id).votes()
    held = _confirmed(store, election.id, q.id)
    return {c: (votes[c], held.get(c, 0)) for c in q.choice_ids if votes[c] != held.get(c, 0)}


# -- Consul -------------------------------------------------------------------------------------


def consul_lines(election: Election, ballots: Iterable[Ballot], *, question: str | None = None) -> list[str]:
    q = _question(election, question)
    ids = platform_ids(q, "consul", numeric=True)
    a = answers(q, counted_ballots(election, ballots))
    lines = [",".join(ids[c] for c in dict.fromkeys(answer)) for _, answer in a.valid]
    random.SystemRandom().shuffle(lines)
    return lines


def consul_csv(
    election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str], *, question: str | None = None
) -> int:
    lines = consul_lines(election, ballots, question=question)
    atomic_write(path, ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"))
    return len(lines)


def pabulib_pb(election: Election, ballots: Iterable[Ballot], path: str | os.PathLike[str]) -> Path:
    from ballots import pabulib

    return Path(pabulib.dump(election, list(ballots), path))


def export(store: Store, fmt: str, path: str | os.PathLike[str], *, question: str | None = None) -> str:
    """Run one export; returns a one-line summary for the command line."""
    integrity.check_before_publishing(store)  # no number leaves Urne from a damaged or edited store
    election = store.election()
    if fmt == "capcollectif":
        n = capcollectif_csv(election, merge.counted_ballots(store, election.id), path, question=question)
        return f"{path} : {n} proposition(s), CSV du back-office de Cap Collectif (UTF-8 avec BOM)"
    if fmt == "decidim":
        out = decidim_csv(store, path, question=question)
        line = (
            f"{path} : {len(out.delta)} projet(s) changé(s) depuis le dernier import confirmé sur Decidim "
            f"({sum(out.delta.values()):+d} bulletins). Importez-le sur Decidim, puis confirmez avec "
            f"'urne export --format decidim --imported {path}'"
        )
        if out.superseded:
            line += f" ; les fichiers du {', '.join(out.superseded)} n'ont jamais été confirmés : NE les importez PAS"
        return line
    if fmt == "consul":
        n = consul_csv(election, merge.counted_ballots(store, election.id), path, question=question)
        return f"{path} : {n} ligne(s) de bulletin, mélangées, CSV de dépouillement Consul"
    if fmt == "pabulib":
        pabulib_pb(election, merge.counted_ballots(store, election.id), path)
        return f"{path} : pabulib .pb"
    raise ExportError(fmt, f"format inconnu (permis : {', '.join(FORMATS)})")
