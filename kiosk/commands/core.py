"""Core commands: init, status, polls, tally, audit, backup, restore, demo."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from ballots import audit, backup, election_file
from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.election import Election
from ballots.errors import ElectionFileError
from ballots.outcome import decide_all
from ballots.store import Polls
from ballots.tally import tally
from kiosk.context import Context


def load_election_file(path: Path) -> tuple[Election, list[Any]]:
    """An election from .toml or .pb; for .pb also its ballots (as Ballot objects)."""
    if path.suffix.lower() == ".pb":
        from ballots import pabulib

        pb = pabulib.load(path)
        return pb.election, list(pb.ballots)
    if path.suffix.lower() != ".toml":
        raise ElectionFileError(str(path), "-", "expected a .toml election file or a pabulib .pb file")
    return election_file.load(path), []


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.election) if args.election else ctx.config.election_file
    election, pb_ballots = load_election_file(path)
    secret = bytes.fromhex(Path(args.key).read_text().strip()) if args.key else None
    store = ctx.store()
    store.install_election(election, secret=secret)
    loaded = 0
    if args.with_ballots and pb_ballots:
        loaded = store.cast_many(pb_ballots)
    print(f"election '{election.id}' ready in {ctx.data_dir} ({len(election.questions)} question(s))")
    if args.with_ballots:
        print(f"{loaded} ballot(s) loaded from {path.name}")
    return 0


def tally_json(ctx: Context) -> dict[str, Any]:
    store = ctx.store()
    election = store.election()
    ballots = list(store.ballots())
    register = store.counts().register if election.register.value != "none" else None
    t = tally(election, ballots, register)
    outcomes = {o.question: o for o in decide_all(election, t, ballots)}
    return {
        "election": election.id,
        "ballots": {
            "counted": t.ballots_counted,
            "by_channel": dict(t.by_channel),
            "pending_review": t.pending_review,
            "rejected": t.rejected,
            "spoiled": t.spoiled,
            "held": len(store.held()),  # copies that disagree across devices: a person decides
        },
        "register": {"voters": t.register, "kiosk_ballots_minus_register": t.register_mismatch},
        "questions": {
            q.question: {
                "votes": q.votes(),
                "points": q.points(),
                "by_channel": {c.choice: dict(c.by_channel) for c in q.choices},
                "blank": q.blank,
                "invalid": q.invalid,
                "winners": {
                    "rule": outcomes[q.question].rule,
                    "selected": list(outcomes[q.question].winners),
                    "spent": outcomes[q.question].spent,
                    "budget": outcomes[q.question].budget,
                },
            }
            for q in t.questions
        },
    }


def cmd_tally(ctx: Context, args: argparse.Namespace) -> int:
    data = tally_json(ctx)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    election = ctx.store().election()
    b = data["ballots"]
    print(f"{election.title.get('fr')} — {b['counted']} bulletin(s) comptés {b['by_channel']}")
    if b["pending_review"]:
        print(f"  {b['pending_review']} bulletin(s) à examiner (non comptés)")
    if b["held"]:
        print(f"  {b['held']} bulletin(s) en conflit entre appareils (non comptés, voir 'urne conflicts')")
    symbol = {"EUR": "€"}.get(election.currency, election.currency)
    for q in election.questions:
        qd = data["questions"][q.id]
        print(f"\n{q.title.get('fr')}")
        winners = set(qd["winners"]["selected"])
        for c in sorted(q.choices, key=lambda c: -qd["votes"][c.id]):
            mark = "*" if c.id in winners else " "
            cost = f"{c.cost:>9,} {symbol}".replace(",", " ") if c.cost else ""
            print(f" {mark} {qd['votes'][c.id]:>6}  {c.title.get('fr')[:50]:<50} {cost}")
        print(f"   blancs {qd['blank']}, nuls {qd['invalid']}; règle {qd['winners']['rule']}")
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    election = store.election()
    counts = store.counts()
    print(f"election: {election.id} — {election.title.get('fr')}")
    print(f"polls: {store.polls().value}")
    print(f"ballots counted: {counts.ballots} {dict(counts.by_channel)}; by status {dict(counts.by_status)}")
    print(f"register entries: {counts.register}")
    print(f"device: {store.device}")
    return 0


def cmd_polls(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    store.set_polls(Polls(args.state), actor=args.actor)
    print(f"polls {args.state}")
    return 0


def cmd_audit_verify(ctx: Context, args: argparse.Namespace) -> int:
    count, head = audit.verify(ctx.store().db)
    print(f"audit log intact: {count} entries, head {head[:16]}")
    return 0


def cmd_audit_show(ctx: Context, args: argparse.Namespace) -> int:
    for e in audit.entries(ctx.store().db):
        print(f"{e.seq:>5} {e.at} {e.actor:<10} {e.action:<20} {json.dumps(dict(e.detail), ensure_ascii=False)}")
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    count = backup.backup(ctx.store(), args.file)
    print(f"backup written and verified: {args.file} ({count} ballots)")
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    ctx.close()
    count = backup.restore(args.file, ctx.data_dir)
    print(f"restored {count} ballots from {args.file} (previous data kept as urne.sqlite.before-restore)")
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    """Headless end-to-end run on the sample election: the path every part adds to."""
    store = ctx.store()
    if not store.has_election():
        store.install_election(election_file.load(ctx.config.election_file))
    election = store.election()
    print(f"[demo] election: {election.title.get('fr')} ({election.id}) in {ctx.data_dir}")
    if store.polls() is not Polls.OPEN:
        store.set_polls(Polls.OPEN, actor="demo")
    rng = random.Random(args.seed)
    q = election.questions[0]
    ids = list(q.choice_ids)
    weights = [rng.random() ** 2 for _ in ids]
    for _ in range(args.voters):
        if election.register.value == "attest":
            store.register_voter(origin=store.device)
        k = rng.randint(max(q.rule.min, 1), q.rule.max)
        chosen: list[str] = []
        while len(chosen) < k:
            c = rng.choices(ids, weights)[0]
            if c not in chosen:
                chosen.append(c)
        store.cast(new_ballot(election, {q.id: tuple(chosen)}, channel=Channel.KIOSK, device=store.device))
    print(f"[demo] kiosk: {args.voters} voters stored (durable commits)")
    for step in DEMO_STEPS:
        step(ctx, args)
    store.set_polls(Polls.CLOSED, actor="demo")
    args.json = False
    cmd_tally(ctx, args)
    n, head = audit.verify(store.db)
    print(f"\n[demo] audit log intact ({n} entries, head {head[:16]})")
    counted = sum(1 for _ in store.ballots(status=BallotStatus.COUNTED))
    print(f"[demo] done: {counted} ballots counted")
    return 0


# Later parts (paper, sync, kiosk, report) add headless steps here: f(ctx, args) -> None.
DEMO_STEPS: list[Any] = []


def add_demo_step(step: Any) -> None:
    """Register a demo step once, however often the parser is built (tests build it many times)."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[parent], help="install an election (.toml or pabulib .pb)")
    p.add_argument("--election", metavar="FILE", help="election file (default: election_file in config.toml)")
    p.add_argument("--with-ballots", action="store_true", help="also load a .pb file's ballots")
    p.add_argument("--key", metavar="FILE", help="election secret (hex) shared by every device of this election")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("status", parents=[parent], help="election, polls and counts")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("polls", parents=[parent], help="open, pause or close the polls")
    p.add_argument("state", choices=[s.value for s in Polls if s is not Polls.NOT_OPENED])
    p.add_argument("--actor", default="cli", help="who does it (for the audit log)")
    p.set_defaults(func=cmd_polls)

    p = sub.add_parser("tally", parents=[parent], help="count the ballots and name the winners")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_tally)

    p = sub.add_parser("audit", parents=[parent], help="the hash-chained audit log")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    a = asub.add_parser("verify", parents=[parent], help="check that no entry was edited or removed")
    a.set_defaults(func=cmd_audit_verify)
    a = asub.add_parser("show", parents=[parent], help="print the log")
    a.set_defaults(func=cmd_audit_show)

    p = sub.add_parser("backup", parents=[parent], help="verified copy of all data to FILE (USB stick)")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[parent], help="replace the data by a verified backup")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("demo", parents=[parent], help="headless end-to-end run on the sample election")
    p.add_argument("--voters", type=int, default=40)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_demo)
