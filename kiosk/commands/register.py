"""`urne register interrupted list|undo`: the visits a kill cut between the register entry and
the ballot (ballots.casting: two commits, register first), for staff to take back, audited.

Nothing here names a voter: the count is (entries made on this device) − (its kiosk ballots);
in identity mode staff type the voter's identity again (the register keeps only a keyed
fingerprint), in attest mode any one attestation of this device is taken back.
"""

from __future__ import annotations

import json

import click

from kiosk.commands.common import group, with_context
from kiosk.context import Context


@group("register", help="The register of voters: interrupted visits.")
def register() -> None:
    pass


@register.group("interrupted", help="Visits cut between the register entry and the ballot (a crash, a power cut).")
def interrupted() -> None:
    pass


@interrupted.command("list", help="How many visits were interrupted on this device.")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@with_context
def list_(ctx: Context, as_json: bool) -> int:
    from ballots.casting import interrupted_visits

    store = ctx.store()
    election = store.election()
    n = interrupted_visits(store, election)
    if as_json:
        click.echo(json.dumps({"election": election.id, "register": election.register.value, "interrupted": n}))
        return 0
    click.echo(f"interrupted visits on this device: {n}")
    if n:
        how = (
            "type the voter's identity: urne register interrupted undo --last-name … --first-name … --birth … --postcode …"
            if election.register.value == "identity"
            else "urne register interrupted undo"
        )
        click.echo(f"  a voter who saw no confirmation may vote again once their entry is taken back: {how}")
    return 0


@interrupted.command("undo", help="Take back the register entry of an interrupted visit (audited).")
@click.option("--last-name", default=None, help="identity mode: the voter's last name")
@click.option("--first-name", default=None, help="identity mode: the voter's first name")
@click.option("--birth", default=None, help="identity mode: birth date (DD/MM/YYYY or YYYY-MM-DD)")
@click.option("--postcode", default=None, help="identity mode: postcode")
@click.option("--actor", default="cli", show_default=True, help="who does it (for the audit log)")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@with_context
def undo(
    ctx: Context,
    last_name: str | None,
    first_name: str | None,
    birth: str | None,
    postcode: str | None,
    actor: str,
    as_json: bool,
) -> int:
    from ballots.casting import interrupted_visits, undo_registration
    from ballots.register import Identity

    store = ctx.store()
    election = store.election()
    fields = (last_name, first_name, birth, postcode)
    identity = Identity(*fields) if all(fields) else None  # type: ignore[arg-type]
    if election.register.value == "identity" and identity is None:
        raise click.UsageError("identity mode: give --last-name, --first-name, --birth and --postcode")
    before = interrupted_visits(store, election)
    done = undo_registration(store, election, identity, actor=actor) if before else False
    code = "undone" if done else ("none_interrupted" if not before else "not_found")
    if as_json:
        click.echo(json.dumps({"result": code, "interrupted": interrupted_visits(store, election)}))
    elif done:
        click.echo("register entry taken back (audited): the voter may vote again")
    elif not before:
        click.echo("no interrupted visit on this device: nothing taken back")
    else:
        click.echo("this voter has no register entry here: nothing taken back")
    return 0 if done else 1
