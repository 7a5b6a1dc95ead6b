"""The town's hub: `urne hub` (serve), its staff accounts (`urne hub staff …`) and the shared
staff password (`urne staff-password`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kiosk.commands.common import group, with_context
from kiosk.context import Context


@group(
    "hub",
    help="Lancer le serveur central de synchronisation de la commune.",
    invoke_without_command=True,
    epilog="Sans sous-commande : servir. 'urne hub staff add|list|remove|log' gère les comptes du personnel.",
)
@click.option("--host", help="adresse d'écoute (par défaut : [hub] host)")
@click.option("--port", type=click.IntRange(1, 65535), help="port (par défaut : [hub] port)")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True)
@click.pass_context
def hub(click_ctx: click.Context, host: str | None, port: int | None, threads: int) -> None:
    if click_ctx.invoked_subcommand is None:  # `urne hub` alone serves
        click_ctx.exit(click_ctx.invoke(hub_serve, host=host, port=port, threads=threads))


@hub.command("serve", help="Servir (ce que fait `urne hub` seul).", hidden=True)
@click.option("--host")
@click.option("--port", type=click.IntRange(1, 65535))
@click.option("--threads", type=click.IntRange(min=1), default=4)
@with_context
def hub_serve(ctx: Context, host: str | None, port: int | None, threads: int) -> int:
    import logging

    from kiosk import log
    from sync.dashboard import DashboardOptions
    from sync.hub import serve
    from sync.hubstore import mark_hub, open_storage

    log.configure(logging.INFO)  # a server: what it accepts and refuses is worth a line

    if not ctx.data_given:  # the hub keeps its own data dir unless told otherwise
        ctx.data_dir = Path(ctx.config.hub.data_dir)
    store = ctx.store()
    election = store.election()
    mark_hub(store)  # this data dir now speaks for the city to the platform (urne purpoz push)
    host = host or ctx.config.hub.host
    port = port or ctx.config.hub.port
    storage = open_storage(ctx.config.hub.database, store)
    where = "PostgreSQL" if ctx.config.hub.database.startswith("postgres") else str(store.data_dir)
    click.echo(f"urne hub : élection {election.id} dans {where}, à l'écoute sur http://{host}:{port}")
    cfg = ctx.config.hub
    options = DashboardOptions(cfg.stale_minutes, cfg.refresh_seconds, cfg.public_results, cfg.secure_cookies)
    try:
        serve(storage, host, port, threads=threads, dashboard=options)
    finally:
        storage.close()
    return 0


def _hub_storage(ctx: Context) -> object:
    """The hub's storage as `urne hub` opens it: its data dir, or the city's database."""
    from sync.hubstore import open_storage

    if not ctx.data_given:
        ctx.data_dir = Path(ctx.config.hub.data_dir)
    return open_storage(ctx.config.hub.database, ctx.store())


@hub.group("staff", help="Les comptes nominatifs du personnel pour le tableau de bord (nom + mot de passe).")
def hub_staff() -> None:
    pass


@hub_staff.command("add", help="Créer un compte du personnel (ou lui donner un nouveau mot de passe avec --reset).")
@click.argument("name")
@click.option(
    "--from-env", metavar="VAR", help="lire le mot de passe dans cette variable d'environnement au lieu de le demander"
)
@click.option("--reset", is_flag=True, help="le compte existe : remplacer son mot de passe (ses sessions prennent fin)")
@with_context
def hub_staff_add(ctx: Context, name: str, from_env: str | None, reset: bool) -> int:
    from sync import staff, staffstore

    staffstore.check_name(name)
    password = os.environ.get(from_env, "") if from_env else None
    if password is None:
        password = click.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    try:
        hashed = staff.hash_password(password)
    except staff.WeakPassword as exc:
        raise click.UsageError(str(exc)) from exc
    storage = _hub_storage(ctx)
    try:
        staffstore.accounts_for(storage).add(name, hashed, actor="cli", replace=reset)  # type: ignore[arg-type]
    finally:
        storage.close()  # type: ignore[attr-defined]
    done = "a un nouveau mot de passe" if reset else "créé"
    click.echo(f"compte du personnel « {name} » {done} : il peut se connecter dès maintenant")
    return 0


@hub_staff.command("list", help="Les comptes du personnel.")
@with_context
def hub_staff_list(ctx: Context) -> int:
    from sync import staffstore

    storage = _hub_storage(ctx)
    try:
        found = staffstore.accounts_for(storage).accounts()  # type: ignore[arg-type]
        shared = storage.setting("staff_password")  # type: ignore[attr-defined]
    finally:
        storage.close()  # type: ignore[attr-defined]
    for a in found:
        click.echo(f"{a.name:<30} depuis le {a.created_day}")
    if not found:
        click.echo("aucun compte du personnel")
    click.echo(f"mot de passe commun du personnel : {'choisi' if shared else 'pas encore choisi'}")
    return 0


@hub_staff.command("remove", help="Supprimer un compte du personnel (ses sessions ouvertes prennent fin aussitôt).")
@click.argument("name")
@with_context
def hub_staff_remove(ctx: Context, name: str) -> int:
    from sync import staffstore

    storage = _hub_storage(ctx)
    try:
        staffstore.accounts_for(storage).remove(name, actor="cli")  # type: ignore[arg-type]
    finally:
        storage.close()  # type: ignore[attr-defined]
    click.echo(f"compte du personnel « {name} » supprimé : il ne peut plus se connecter, ses sessions sont closes")
    return 0


@hub_staff.command("log", help="Qui s'est connecté au tableau de bord, qui a été refusé, les changements de comptes.")
@click.option("--last", type=click.IntRange(1, 10_000), default=50, show_default=True)
@with_context
def hub_staff_log(ctx: Context, last: int) -> int:
    from sync import staffstore

    storage = _hub_storage(ctx)
    try:
        events = staffstore.accounts_for(storage).events(last)  # type: ignore[arg-type]
    finally:
        storage.close()  # type: ignore[attr-defined]
    for e in events:
        detail = " ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))
        click.echo(f"{e.at}  {e.action:<20} {e.actor:<30} {detail}")
    return 0


@click.command(help="Choisir le mot de passe du personnel pour le tableau de bord du hub.")
@click.option(
    "--from-env", metavar="VAR", help="lire le mot de passe dans cette variable d'environnement au lieu de le demander"
)
@with_context
def staff_password(ctx: Context, from_env: str | None) -> int:
    from sync import staff
    from sync.hubstore import open_storage

    if not ctx.data_given:
        ctx.data_dir = Path(ctx.config.hub.data_dir)
    if from_env:
        password = os.environ.get(from_env, "")
    else:
        password = click.prompt("staff password", hide_input=True, confirmation_prompt=True)
    try:
        hashed = staff.hash_password(password)
    except staff.WeakPassword as exc:
        raise click.UsageError(str(exc)) from exc
    store = ctx.store()
    store.set_meta("hub:staff_password", hashed)
    if ctx.config.hub.database:  # every hub process reads it from the shared database
        storage = open_storage(ctx.config.hub.database, store)
        storage.set_setting("staff_password", hashed)
        storage.close()
    click.echo("mot de passe du personnel choisi : connectez-vous à l'adresse du hub dans un navigateur")
    return 0
