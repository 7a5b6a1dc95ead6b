"""Commands between machines of one town: sync, bundle, device, conflicts (and a demo step).

The hub and its staff are in kiosk/commands/hub.py; the platforms (export, purpoz) in
kiosk/commands/platforms.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from kiosk.commands.common import group, with_context
from kiosk.commands.common import n_words as _n
from kiosk.context import Context


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
@click.option("--json", "as_json", is_flag=True, help="une ligne JSON par fichier, avec les codes (pour les scripts)")
@with_context
def bundle_import(ctx: Context, files: tuple[str, ...], as_json: bool) -> int:
    import json

    from sync import bundle as bundles
    from sync.errors import BundleRefused

    store = ctx.store()
    code = 0
    for path in files:
        try:
            r = bundles.import_bundle(store, path)
        except BundleRefused as exc:
            if as_json:  # the stable reason code, the finer refusal, the French words
                said = {"file": path, "status": "refused", "reason": exc.reason, "refusal": exc.refusal.value}
                click.echo(json.dumps({**said, "message": exc.detail}, ensure_ascii=False))
            click.echo(f"urne: {exc}", err=True)
            code = 2
            continue
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "file": path,
                        "status": "already_imported" if r.already_imported else "imported",
                        "device": r.device,
                        "seq": r.seq,
                        "merged": r.merged.as_dict(),
                    },
                    ensure_ascii=False,
                )
            )
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
        for refused in m.refused[:20]:
            click.echo(f"  refusé : {refused.label()} : {refused.words()}")
        if m.replaced:  # never silent: a review ballot replaced by its own device's decision
            shown = ", ".join(m.replaced[:20]) + (", …" if len(m.replaced) > 20 else "")
            click.echo(
                f"  {_n(len(m.replaced), 'bulletin à examiner remplacé', 'bulletins à examiner remplacés')} par la "
                f"décision signée de leur appareil (consigné au journal) : {shown}"
            )
    if as_json:
        return code
    counts = store.counts()
    channels = ", ".join(f"{c} {n}" for c, n in counts.by_channel.items())
    click.echo(
        f"désormais {_n(counts.ballots, 'bulletin compté', 'bulletins comptés')}"
        + (f" ({channels})" if channels else "")
        + f", {_n(counts.register, 'émargement', 'émargements')}"
    )
    return code


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
    _to_city_database(ctx, device_id, "lui fait confiance")
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
    _to_city_database(ctx, device_id, "le refuse")
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
    click.echo(f"  écrit dans la base de la ville {storage.where} : chaque processus du hub {effect} dès maintenant")


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
