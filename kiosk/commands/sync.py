"""Sync commands: sync, bundle, hub, device, conflicts, export, purpoz (and a demo step)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from kiosk.commands.common import group, with_context
from kiosk.context import Context


def _n(n: int, one: str, many: str) -> str:
    """'0 bulletin', '1 bulletin', '2 bulletins' (French: 0 and 1 are singular)."""
    return f"{n} {one if abs(n) < 2 else many}"


@click.command(help="Envoyer au hub maintenant et montrer l'état de la synchronisation.")
@with_context
def sync(ctx: Context) -> int:
    from ballots.errors import UrneError
    from sync import client, merge

    store = ctx.store()
    cfg = ctx.config.sync
    code = 0
    if cfg.hub_url:
        try:
            r = client.push(store, cfg)
            click.echo(
                f"{_n(r.sent, 'enregistrement envoyé', 'enregistrements envoyés')} en {_n(r.batches, 'lot', 'lots')} "
                f"à {cfg.hub_url} ({_n(r.accepted_new, 'nouveau', 'nouveaux')} là-bas)"
            )
        except UrneError as exc:  # shown, then the status below still tells the backlog
            click.echo(f"urne: {exc}", err=True)
            code = 2
    st = client.status(store, cfg.hub_url)
    click.echo(st.line())
    eid = store.election().id
    n_conf, n_dup = len(merge.conflicted_ids(store, eid)), len(merge.duplicate_voters(store, eid))
    if n_conf or n_dup:
        click.echo(
            f"{_n(n_conf, 'conflit', 'conflits')} à décider ('urne conflicts'), "
            f"{_n(n_dup, 'électeur en double', 'électeurs en double')}"
        )
    return code


@group("bundle", help="Lots sur clé USB entre machines hors ligne.")
def bundle() -> None:
    pass


@bundle.command("export", help="Écrire un lot signé de ce qui n'est pas encore acquitté.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--all", "everything", is_flag=True, help="tout, pas seulement ce qui n'est pas acquitté")
@with_context
def bundle_export(ctx: Context, file: Path, everything: bool) -> int:
    from sync import bundle as bundles

    r = bundles.export(ctx.store(), file, everything=everything)
    click.echo(
        f"lot n° {r.seq} écrit : {r.path} ({_n(r.ballots, 'bulletin', 'bulletins')}, "
        f"{_n(r.register, 'émargement', 'émargements')}, {r.size} octets)"
    )
    return 0


# Files are not checked for existence here: a missing one is refused with one line and the
# batch goes on with the others.
@bundle.command("import", help="Vérifier et fusionner des lots.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FILE...")
@with_context
def bundle_import(ctx: Context, files: tuple[str, ...]) -> int:
    from sync import bundle as bundles
    from sync.errors import BundleRefused

    store = ctx.store()
    code = 0
    for path in files:
        try:
            r = bundles.import_bundle(store, path)
        except BundleRefused as exc:
            click.echo(f"urne: {exc}", err=True)
            code = 2
            continue
        if r.already_imported:
            click.echo(f"{path} : déjà importé (lot n° {r.seq} de {r.device}) : rien n'a changé")
            continue
        m = r.merged
        click.echo(
            f"{path} : lot n° {r.seq} de {r.device} : {_n(m.ballots_new, 'nouveau bulletin', 'nouveaux bulletins')}, "
            f"{m.ballots_known} déjà ici, {_n(m.conflicts, 'conflit', 'conflits')} ; émargements : "
            f"{m.register_new} nouveaux, {_n(m.duplicate_voters, 'électeur en double', 'électeurs en double')}"
        )
        for ident, reason in m.refused[:20]:
            click.echo(f"  refusé {ident} : {reason}")
        if m.replaced:  # never silent: a review ballot replaced by its own device's decision
            shown = ", ".join(m.replaced[:20]) + (", …" if len(m.replaced) > 20 else "")
            click.echo(
                f"  {_n(len(m.replaced), 'bulletin à examiner remplacé', 'bulletins à examiner remplacés')} par la "
                f"décision signée de leur appareil (consigné au journal) : {shown}"
            )
    counts = store.counts()
    channels = ", ".join(f"{c} {n}" for c, n in counts.by_channel.items())
    click.echo(
        f"désormais {_n(counts.ballots, 'bulletin compté', 'bulletins comptés')}"
        + (f" ({channels})" if channels else "")
        + f", {_n(counts.register, 'émargement', 'émargements')}"
    )
    return code


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
    click.echo(f"staff account {name!r} {'given a new password' if reset else 'created'}: it can sign in now")
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
        click.echo(f"{a.name:<30} since {a.created_day}")
    if not found:
        click.echo("no staff account")
    click.echo(f"shared staff password: {'set' if shared else 'not set'}")
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
    click.echo(f"staff account {name!r} removed: it cannot sign in any more, its sessions are ended")
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
    click.echo("staff password set: sign in at the hub's address in a browser")
    return 0


@group("device", help="La clé de cet appareil ; les appareils auxquels cette machine fait confiance.")
def device() -> None:
    pass


@device.command("show", help="L'identifiant et la clé publique de cet appareil.")
@with_context
def device_show(ctx: Context) -> int:
    from sync import devices

    me = devices.identity(ctx.store())
    click.echo(f"appareil : {me.device}")
    click.echo(f"clé publique : {me.public_key_hex}")
    click.echo(f"empreinte de la clé : {devices.key_fingerprint(me.public_key_hex)}")
    return 0


@device.command("enrol", help="Faire confiance à un appareil (affiche son jeton pour le hub).")
@click.argument("device_id", metavar="DEVICE")
@click.argument("public_key")
@click.option("--name", default="", help='un nom que chacun reconnaît ("marché", "mairie annexe")')
@click.option("--place", default="", help="où il se trouve (affiché sur le tableau de bord du hub)")
@with_context
def device_enrol(ctx: Context, device_id: str, public_key: str, name: str, place: str) -> int:
    from sync import devices

    token = devices.enrol(ctx.store(), device_id, public_key, name=name, place=place)
    click.echo(f"appareil {device_id} inscrit (clé {devices.key_fingerprint(public_key)})")
    _to_city_database(ctx, device_id, "trusts it")
    click.echo(
        f"jeton du hub (affiché une seule fois ; à mettre dans config.toml de l'appareil, [sync] token) : {token}"
    )
    return 0


@device.command("list", help="Les appareils inscrits.")
@with_context
def device_list(ctx: Context) -> int:
    from sync import devices

    for d in devices.devices(ctx.store()):
        state = "révoqué" if d.revoked else "de confiance"
        click.echo(
            f"{d.device:<20} {state:<12} {devices.key_fingerprint(d.public_key)}  {d.name}  (depuis le {d.enrolled_day})"
        )
    return 0


@device.command("revoke", help="Ne plus faire confiance à un appareil.")
@click.argument("device_id", metavar="DEVICE")
@with_context
def device_revoke(ctx: Context, device_id: str) -> int:
    from sync import devices

    devices.revoke(ctx.store(), device_id)
    click.echo(f"appareil {device_id} révoqué")
    _to_city_database(ctx, device_id, "refuses it")
    return 0


def _to_city_database(ctx: Context, device_id: str, effect: str) -> None:
    """With `[hub] database = "postgresql://…"`, the change goes to the city's database now:
    every running hub process reads its devices there at each request (no restart)."""
    database = ctx.config.hub.database
    if not database.startswith(("postgresql://", "postgres://")):
        return  # SQLite: the hub processes read this very store at each request
    from sync.pgdevices import push_devices
    from sync.pghub import PgHubStorage

    storage = PgHubStorage(database)
    try:
        push_devices(storage, ctx.store(), device_id)
    finally:
        storage.close()
    click.echo(f"  written to the city's database {storage.where}: every hub process {effect} now")


@group("conflicts", help="Bulletins dont les copies diffèrent ; électeurs en double.", invoke_without_command=True)
@click.pass_context
def conflicts(click_ctx: click.Context) -> None:
    if click_ctx.invoked_subcommand is None:  # `urne conflicts` alone lists them
        click_ctx.exit(click_ctx.invoke(conflicts_list))


@conflicts.command("list", help="Les conflits ouverts et les électeurs en double.")
@with_context
def conflicts_list(ctx: Context) -> int:
    from sync import merge

    store = ctx.store()
    eid = store.election().id
    found = merge.conflicts(store, eid)
    for c in found:
        click.echo(f"bulletin {c.ballot_id} : copie enregistrée {'présente' if c.stored else 'absente'}")
        if c.stored:
            click.echo(f"    stored     {c.stored.status.value:<8} {dict(c.stored.selection)} de {c.stored.device}")
        for sha, b, by in c.others:
            click.echo(f"    {sha[:10]} {b.status.value:<8} {dict(b.selection)} via {by}")
    for fp, origins in merge.duplicate_voters(store, eid):
        click.echo(f"électeur en double {fp}… : origines {', '.join(origins)}")
    if not found:
        click.echo("aucun conflit ouvert")
    return 0


@conflicts.command("resolve", help="Trancher un conflit : garder la copie enregistrée ou une autre.")
@click.argument("ballot")
@click.option(
    "--keep", default="stored", show_default=True, help="'stored' ou le début de l'empreinte de la copie à garder"
)
@click.option("--actor", default="cli", show_default=True, help="qui décide (pour le journal d'audit)")
@with_context
def conflicts_resolve(ctx: Context, ballot: str, keep: str, actor: str) -> int:
    from sync import merge

    merge.resolve(ctx.store(), ballot, keep, actor=actor)
    click.echo(f"bulletin {ballot} : copie gardée {keep}")
    return 0


# The format names, here rather than imported: `urne export --help` must not load the exporters.
EXPORT_FORMATS = ("capcollectif", "decidim", "consul", "pabulib")


@click.command(help="Totaux ou bulletins pour Cap Collectif, Decidim, Consul, pabulib.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="le format de la plateforme")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="fichier à écrire")
@click.option("--question", help="identifiant de la question (par défaut : la première)")
@click.option(
    "--imported",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Decidim : noter que FICHIER a été importé sur la plateforme (le suivant part de là)",
)
@click.option(
    "--staff-override",
    is_flag=True,
    help="exporter des résultats que l'élection n'autorise pas encore (show_partial_results = false) ; consigné au journal d'audit",
)
@click.option("--actor", default="cli", show_default=True, help="qui demande (pour le journal d'audit)")
@with_context
def export(
    ctx: Context,
    fmt: str,
    out: Path | None,
    question: str | None,
    imported: Path | None,
    staff_override: bool,
    actor: str,
) -> int:
    from ballots import publication
    from sync import exports

    if imported is not None:
        if fmt != "decidim":
            raise click.UsageError("--imported is for Decidim, the one additive import")
        totals = exports.decidim_confirm(ctx.store(), imported)
        click.echo(f"{imported}: recorded as imported on Decidim ({sum(totals.values())} votes in all)")
        for choice, (urne, decidim) in exports.decidim_drift(ctx.store(), question=question).items():
            click.echo(f"  {choice}: Urne {urne}, Decidim {decidim} (export again to send the difference)")
        return 0
    if out is None:
        raise click.UsageError("--out FILE is required")
    # Totals and ballots are results: only when the election allows them (ballots.publication).
    publication.check(ctx.store(), override=staff_override, actor=actor, what=f"export {fmt}")
    click.echo(exports.export(ctx.store(), fmt, out, question=question))
    return 0


def _purpoz(ctx: Context, step_id: str | None) -> tuple[object, str]:
    from sync import purpoz
    from sync.errors import PurpozError

    cfg = ctx.config.purpoz
    step = step_id or cfg.step_id
    if not step:
        raise PurpozError("config", "no step: give --step or step_id in the [purpoz] section")
    session = purpoz.PurpozSession(cfg.base_url)
    session.login(cfg.username, os.environ.get(cfg.password_env, ""))
    return session, step


@group("purpoz", help="Purpoz / Cap Collectif : lire une étape, envoyer les totaux papier.")
def purpoz() -> None:
    pass


@purpoz.command("pull", help="Faire un fichier d'élection à partir des propositions d'une étape.")
@click.option("--step", help="identifiant de l'étape (par défaut : [purpoz] step_id)")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="fichier d'élection à écrire"
)
@click.option("--install", is_flag=True, help="l'installer aussi dans ce dossier de données")
@with_context
def purpoz_pull(ctx: Context, step: str | None, out: Path | None, install: bool) -> int:
    from ballots import election_file
    from sync import purpoz

    session, step_id = _purpoz(ctx, step)
    assert isinstance(session, purpoz.PurpozSession)
    found = purpoz.read_step(session, step_id)
    election = purpoz.election_from_step(found)
    out = out or Path(f"{election.id}.toml")
    purpoz.write_election_toml(election, out, step_id=step_id)
    q = election.questions[0]
    click.echo(
        f"step '{found.title}': {len(found.proposals)} proposal(s), rule {q.rule.kind.value} (max {q.rule.max}) -> {out}"
    )
    if install:
        ctx.store().install_election(election_file.load(out))
        click.echo(f"election '{election.id}' installed in {ctx.data_dir}")
    return 0


@purpoz.command("push", help="Envoyer les totaux papier absolus, sans doublons.")
@click.option("--step", "step_opt", help="identifiant de l'étape (par défaut : [purpoz] step_id)")
@click.option("--dry-run", is_flag=True, help="montrer ce qui serait envoyé ; ne rien écrire")
@click.option("--force", is_flag=True, help="envoyer depuis un appareil qui n'est pas le hub (ses seuls bulletins)")
@click.option(
    "--staff-override",
    is_flag=True,
    help="envoyer des totaux que l'élection n'autorise pas encore (show_partial_results = false) ; consigné au journal d'audit",
)
@click.option("--actor", default="cli", show_default=True, help="qui demande (pour le journal d'audit)")
@with_context
def purpoz_push(
    ctx: Context, step_opt: str | None, dry_run: bool, force: bool, staff_override: bool, actor: str
) -> int:
    from ballots import publication
    from sync import merge, purpoz
    from sync.hubstore import is_hub, open_storage

    store = ctx.store()
    election = store.election()
    hub = is_hub(store)
    if not hub:
        # The hub is the one voice to the platform: a kiosk or a scan station holds only part of
        # the city's ballots, and its absolute totals would overwrite the city's.
        warning = (
            f"{ctx.data_dir} is not the hub's data dir: its totals are this device's ballots only, "
            "not the city's; push from the hub ('urne purpoz push --data <hub data dir>')"
        )
        if not (force or dry_run):
            raise click.ClickException(warning + ", or add --force")
        click.echo(f"warning: {warning}", err=True)
    # Paper totals are results: only when the election allows them (ballots.publication); on a
    # city hub the polls are the database's.
    state = None
    if hub and ctx.config.hub.database:
        probe = open_storage(ctx.config.hub.database, store)
        try:
            state = publication.of_status(probe.status())
        finally:
            probe.close()
    publication.check(store, override=staff_override, actor=actor, what="purpoz push", state=state)
    session, step_id = _purpoz(ctx, step_opt)
    assert isinstance(session, purpoz.PurpozSession)
    step = purpoz.read_step(session, step_id)
    storage = open_storage(ctx.config.hub.database, store) if hub and ctx.config.hub.database else None
    try:
        # On a city hub the deduplicated totals are the database's, whichever process merged them.
        counted = storage.counted_ballots() if storage is not None else merge.counted_ballots(store, election.id)
        totals = purpoz.paper_totals(election, counted, step)
    finally:
        if storage is not None:
            storage.close()
    r = purpoz.push(session, election, step, totals, dry_run=dry_run)
    verb = "would send" if r.dry_run else "sent"
    for t in r.sent:
        click.echo(
            f"  {verb} {t.reference:<12} votes {t.votes:>6}" + (f"  points {t.points:>6}" if step.ranked else "")
        )
    for ref in r.not_in_election:
        click.echo(f"  left untouched (not in this election): {ref}")
    for cid in r.not_on_platform:
        click.echo(f"  not on the platform: {cid}")
    for ref, code in r.errors:
        click.echo(f"  error on {ref}: {code}")
    for ref, sv, gv, sp, gp in r.differences:
        click.echo(f"  DIFFERENCE on {ref}: sent {sv}/{sp}, platform has {gv}/{gp}")
    if r.dry_run:
        click.echo(f"dry run: {len(r.sent)} call(s) would be made; nothing was written")
        return 0
    if not r.errors and not r.differences:
        store.log("sync", "purpoz.push", {"step": step_id, "proposals": len(r.sent)})
        click.echo(f"{r.calls} call(s), one per proposal; read back: the platform matches")
        return 0
    click.echo(f"{r.calls} call(s); {len(r.errors)} error(s), {len(r.differences)} difference(s)", err=True)
    return 2


def demo_step(ctx: Context, seed: int) -> None:
    """Export a signed bundle from the demo kiosk and merge it twice into a fresh consolidating store."""
    from ballots.store import Store
    from sync import bundle, devices, merge

    store = ctx.store()
    me = devices.identity(store)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kiosk.urne"
        r = bundle.export(store, path)
        with Store(Path(tmp) / "mairie") as town:
            town.install_election(store.election(), secret=store.election_secret())
            devices.enrol(town, me.device, me.public_key_hex, name="demo kiosk")
            first = bundle.import_bundle(town, path)
            again = bundle.import_bundle(town, path)
            counted = sum(1 for _ in merge.counted_ballots(town))
            twice = "rien n'a changé" if again.already_imported else "CHANGEMENT"
            click.echo(
                f"[demo] lot n° {r.seq} ({_n(r.ballots, 'bulletin', 'bulletins')}, signé par {me.device}) importé "
                f"à la mairie : {_n(first.merged.ballots_new, 'nouveau', 'nouveaux')} ; importé une seconde fois : "
                f"{twice} ; la mairie compte {counted}"
            )
