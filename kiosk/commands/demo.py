"""`urne demo`: the headless end-to-end run on the sample election, as one explicit pipeline.

The steps run in the order of `STEPS`, each a function of (context, random seed): kiosk voters
cast through the store, paper ballots printed, marked and scanned, a signed bundle merged at a
town hall, one voter through the real kiosk screens. Then the polls close, the procès-verbal is
written (results are shown only once the polls are closed: `ballots.publication`), the tally is
printed and the audit log verified.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import click

from kiosk.commands.common import with_context
from kiosk.context import Context

Step = Callable[[Context, int], None]


def kiosk_voters(ctx: Context, seed: int, voters: int) -> None:
    """`voters` voters cast a random valid ballot on the first question (durable commits)."""
    from ballots import election_file
    from ballots.casting import cast_vote
    from ballots.register import Identity
    from ballots.store import Polls

    store = ctx.store()
    if not store.has_election():
        store.install_election(election_file.load(ctx.config.election_file))
    election = store.election()
    click.echo(f"[demo] élection : {election.title.get('fr')} ({election.id}) dans {ctx.data_dir}")
    if store.polls() is not Polls.OPEN:
        store.set_polls(Polls.OPEN, actor="demo")
    rng = random.Random(seed)
    q = election.questions[0]
    ids = list(q.choice_ids)
    weights = [rng.random() ** 2 for _ in ids]
    for i in range(voters):
        k = rng.randint(max(q.rule.min, 1), q.rule.max)
        chosen: list[str] = []
        while len(chosen) < k:
            c = rng.choices(ids, weights)[0]
            if c not in chosen:
                chosen.append(c)
        # The one casting service every front end uses (register entry, then ballot).
        voter = Identity(f"Demo{seed}-{i}", "Camille", "01/01/1980", "13210")
        cast_vote(store, election, {q.id: tuple(chosen)}, identity=voter, attested=True)
    click.echo(f"[demo] borne : {voters} votants enregistrés (écritures durables)")


def steps() -> tuple[Step, ...]:
    """After the kiosk voters, in this order, before the polls close."""
    from kiosk.commands import app, paper, sync

    return (paper.demo_step, sync.demo_step, app.demo_step)


def run(ctx: Context, voters: int = 40, seed: int = 2026) -> int:
    from ballots import audit
    from ballots.ballot import BallotStatus
    from ballots.store import Polls
    from kiosk.commands import report
    from kiosk.commands.core import print_tally

    kiosk_voters(ctx, seed, voters)
    for step in steps():
        step(ctx, seed)
    store = ctx.store()
    store.set_polls(Polls.CLOSED, actor="demo")
    report.demo_step(ctx, seed)  # after the others: it lists what they did
    print_tally(ctx)
    n, head = audit.verify(store.db, store.keys.acceptable_heads())
    click.echo(f"\n[demo] journal d'audit intact ({n} entrées, tête {head[:16]})")
    counted = sum(1 for _ in store.ballots(status=BallotStatus.COUNTED))
    click.echo(f"[demo] terminé : {counted} bulletins comptés")
    return 0


@click.command(help="Démonstration complète sans écran sur l'élection d'exemple.")
@click.option(
    "--voters", type=click.IntRange(min=0), default=40, show_default=True, help="votants à simuler sur la borne"
)
@click.option("--seed", type=int, default=2026, show_default=True, help="graine aléatoire (même graine, même déroulé)")
@with_context
def demo(ctx: Context, voters: int, seed: int) -> int:
    return run(ctx, voters, seed)
