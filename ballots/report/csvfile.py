"""The procès-verbal's figures as CSV, for spreadsheets.

Contract: `write_csv(results, path)` writes UTF-8 with a BOM (so Excel reads the accents), `;`
separators, integers without thousands separators, one section after another, each with a title
row and a header row. It only reads `results` and writes atomically (`ballots.durable`).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from ballots.durable import atomic_write
from ballots.report.labels import channel_label, reason_label, status_label
from ballots.report.words import time_fr
from ballots.results import Results, SheetIssue


def csv_rows(r: Results) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["Procès-verbal", r.title],
        ["Organisateur", r.organiser],
        ["Début", r.date_begin],
        ["Fin", r.date_end],
        ["Édité le", time_fr(r.generated_at, r.time_zone), r.time_zone],
        ["Empreinte de l'élection", r.fingerprint],
        ["Résultats définitifs", "oui" if r.final else "non"],
        *([["Provisoires parce que", r.status.why_provisional()]] if not r.final else []),
        [],
        ["Participation"],
        ["Canal", "Votants", "Votes", "Déclarés nuls"],
    ]
    rows += [[channel_label(t.channel), t.voters, t.votes, t.void] for t in r.turnout]
    rows += [["Total", r.voters, r.votes, r.void], []]
    rows += [
        ["Bulletins par statut"],
        ["Statut", "Nombre"],
        ["Inscrits", _opt(r.electors or None)],
        ["Votants", r.voters],
        ["Comptés", r.counted],
        ["Déclarés nuls", r.void],
        ["À examiner", r.pending_review],
        ["Rejetés", r.rejected],
        ["Annulés", r.spoiled],
        [],
        ["Contrôles"],
        ["Contrôle", "Valeur"],
        ["Mode d'émargement", r.reconciliation.register_mode],
        ["Émargements", _opt(r.reconciliation.register_entries)],
        ["Bulletins borne", r.reconciliation.kiosk_ballots],
        ["Écart bulletins borne - émargements", _opt(r.reconciliation.register_difference)],
        ["Bulletins papier émis", _opt(r.reconciliation.paper_issued)],
        ["Bulletins papier rentrés", r.reconciliation.paper_returned],
        ["Bulletins papier non rentrés", _opt(r.reconciliation.paper_not_returned)],
        [],
    ]
    for q in r.questions:
        rows += [["Résultats", q.question, q.title], ["Règle", q.rule]]
        header = ["Rang", "Choix", "Intitulé", "Coût"] + [channel_label(c) for c in r.channels] + ["Total"]
        header += ["Points"] if q.ranked else []
        rows.append([*header, "Retenu"])
        for c in q.choices:
            row = [c.rank, c.choice, c.title, c.cost] + [c.by_channel.get(ch, 0) for ch in r.channels] + [c.votes]
            row += [c.points] if q.ranked else []
            rows.append([*row, "oui" if c.winner else "non"])
        rows += [
            ["Votants", q.voters],
            ["Exprimés", q.expressed],
            ["Blancs", q.blank],
            ["Nuls", q.invalid],
            ["Votants = exprimés + blancs + nuls", "oui" if q.balanced else "NON"],
            ["Enveloppe", q.budget],
            ["Budget utilisé", q.spent],
            ["Retenus", " ".join(q.winners)],
        ]
        rows += [
            ["Égalité", tie.score, " ".join(tie.choices), "retenus : " + (" ".join(tie.selected) or "—"), tie.rule]
            for tie in q.ties
        ]
        rows.append([])
    rows += [["Bulletins rejetés et examinés"], ["Bulletin", "Canal", "Statut", "Motifs", "Décisions", "Source"]]
    rows += [
        [
            i.ballot,
            channel_label(i.channel),
            status_label(i.status),
            _reasons(i),
            _decisions(i, r.time_zone),
            i.source,
        ]
        for i in r.issues
    ]
    rows += [
        [],
        ["Journal d'audit"],
        ["Entrées", "Empreinte (SHA-256)", "Intègre"],
        [r.audit.entries, r.audit.head, "oui" if r.audit.intact else "NON : " + r.audit.problem],
    ]
    return rows


def _opt(v: int | None) -> Any:
    return "" if v is None else v


def _reasons(i: SheetIssue) -> str:
    return ", ".join(reason_label(x) for x in i.reasons)


def _decisions(i: SheetIssue, zone: str) -> str:
    return " ; ".join(
        f"{status_label(d.status)} par {d.actor} le {time_fr(d.at, zone)}" + (f" ({d.note})" if d.note else "")
        for d in i.decisions
    )


def csv_text(r: Results) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerows(csv_rows(r))
    return buf.getvalue()


def write_csv(r: Results, path: str | os.PathLike[str]) -> Path:
    return atomic_write(path, ("\ufeff" + csv_text(r)).encode("utf-8"), make_parents=True)
