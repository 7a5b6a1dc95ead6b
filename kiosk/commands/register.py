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


@group("register", help="Le registre des votants : visites interrompues.")
def register() -> None:
    pass


@register.group("interrupted", help="Visites coupées entre l'inscription et le bulletin (panne, coupure de courant).")
def interrupted() -> None:
    pass


@interrupted.command("list", help="Combien de visites ont été interrompues sur cet appareil.")
@click.option("--json", "as_json", is_flag=True, help="sortie lisible par une machine")
@with_context
def list_(ctx: Context, as_json: bool) -> int:
    from ballots.casting import interrupted_visits

    store = ctx.store()
    election = store.election()
    n = interrupted_visits(store, election)
    if as_json:
        click.echo(json.dumps({"election": election.id, "register": election.register.value, "interrupted": n}))
        return 0
    click.echo(f"visites interrompues sur cet appareil : {n}")
    if n:
        how = (
            "saisissez l'identité : urne register interrupted undo --last-name … --first-name … --birth … --postcode …"
            if election.register.value == "identity"
            else "urne register interrupted undo"
        )
        click.echo(f"  une personne qui n'a pas vu « Merci » peut revoter une fois son inscription annulée : {how}")
    return 0


@interrupted.command("undo", help="Annuler l'inscription d'une visite interrompue (consigné au journal).")
@click.option("--last-name", default=None, help="mode identité : nom")
@click.option("--first-name", default=None, help="mode identité : prénom")
@click.option("--birth", default=None, help="mode identité : date de naissance (JJ/MM/AAAA ou AAAA-MM-JJ)")
@click.option("--postcode", default=None, help="mode identité : code postal")
@click.option("--actor", default="cli", show_default=True, help="qui le fait (pour le journal d'audit)")
@click.option("--json", "as_json", is_flag=True, help="sortie lisible par une machine")
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
        raise click.UsageError("mode identité : donnez --last-name, --first-name, --birth et --postcode")
    before = interrupted_visits(store, election)
    done = undo_registration(store, election, identity, actor=actor) if before else False
    code = "undone" if done else ("none_interrupted" if not before else "not_found")
    if as_json:
        click.echo(json.dumps({"result": code, "interrupted": interrupted_visits(store, election)}))
    elif done:
        click.echo("inscription annulée (consignée au journal) : la personne peut voter")
    elif not before:
        click.echo("aucune visite interrompue sur cet appareil : rien n'est annulé")
    else:
        click.echo("cette personne n'a pas d'inscription ici : rien n'est annulé")
    return 0 if done else 1
