"""`urne demo`: the headless end-to-end run on the sample election, as one explicit pipeline.

The steps run in the order of `STEPS`, each a function of (context, random seed): kiosk voters
cast through the store, paper ballots printed, marked and scanned, a signed bundle merged at a
town hall, one voter through the real kiosk screens. Then the polls close, the procès-verbal is
written (results are shown only once the polls are closed: `ballots.publication`), the tally is
printed and the audit log verified.

The demo is no exception to the staff-code rule (`ballots.polls.change`: the polls open only once
a staff code exists; closed polls are not reopened behind anyone's back). In a data folder it
sets up itself it is the installer, so it chooses a code, as `urne init --set-pin` would, and
prints it (the folder is a demonstration: its code opens its kiosk's staff menu). In a folder
that already holds an election, that folder's code must exist: the demo says so and writes
nothing, like `urne polls open`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from kiosk.commands.common import with_context
from kiosk.context import Context

if TYPE_CHECKING:
    from ballots.store import Store

Step = Callable[[Context, int], None]


def kiosk_voters(ctx: Context, seed: int, voters: int) -> None:
    """`voters` voters cast a random valid ballot on the first question (durable commits)."""
    from ballots import election_file, polls
    from ballots.casting import cast_vote
    from ballots.register import Identity
    from ballots.store import Polls

    store = ctx.store()
    if not store.has_election():
        store.install_election(election_file.load(ctx.config.election_file))
        pin = demo_pin(store)
        click.echo(f"[demo] code du personnel de ce dossier de démonstration : {pin}")
    election = store.election()
    click.echo(f"[demo] élection : {election.title.get('fr')} ({election.id}) dans {ctx.data_dir}")
    if store.polls() is not Polls.OPEN:
        done = polls.change(store, Polls.OPEN, actor="demo")
        if done.warning is not None:
            click.echo(
                f"[demo] ouvert hors des dates prévues ({election.date_begin} au {election.date_end}) : "
                "consigné au journal, comme sur une borne"
            )
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


def demo_pin(store: Store) -> str:
    """A random staff code that the weak-code rule accepts, set like `urne init --set-pin` (audited)."""
    from ballots import staff_pin

    rng = random.SystemRandom()
    while True:
        pin = "".join(rng.choice("0123456789") for _ in range(staff_pin.PIN_LENGTH))
        if not staff_pin.weak(pin):
            staff_pin.PinGuard(store).set_pin(pin, actor="demo")
            return pin


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
    from ballots import polls

    store = ctx.store()
    polls.change(store, Polls.CLOSED, actor="demo")
    report.demo_step(ctx, seed)  # after the others: it lists what they did
    print_tally(ctx)
    n, head = audit.verify(store.db, store.keys.acceptable_heads())
    click.echo(f"\n[demo] journal d'audit intact ({n} entrées, tête {head[:16]})")
    counted = sum(1 for _ in store.ballots(status=BallotStatus.COUNTED))
    click.echo(f"[demo] terminé : {counted} bulletins comptés")
    return 0


@click.command(
    help="Démonstration complète sans écran sur l'élection d'exemple.",
    epilog="Comme partout, le vote ne s'ouvre qu'avec un code du personnel : dans un dossier neuf, la "
    "démonstration en choisit un et l'affiche ; dans un dossier qui a déjà une élection, il faut son code "
    "(urne init --set-pin, urne kiosk --set-pin), sinon rien n'est écrit.",
)
@click.option(
    "--voters", type=click.IntRange(min=0), default=40, show_default=True, help="votants à simuler sur la borne"
)
@click.option("--seed", type=int, default=2026, show_default=True, help="graine aléatoire (même graine, même déroulé)")
@with_context
def demo(ctx: Context, voters: int, seed: int) -> int:
    return run(ctx, voters, seed)
