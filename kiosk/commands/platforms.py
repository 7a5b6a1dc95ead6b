"""The platforms: `urne export` (Cap Collectif, Decidim, Consul, pabulib) and `urne purpoz`
(read a step, push the paper totals)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kiosk.commands.common import group, n_words, with_context
from kiosk.context import Context

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
            raise click.UsageError("--imported ne sert qu'à Decidim, le seul import qui s'additionne")
        totals = exports.decidim_confirm(ctx.store(), imported)
        click.echo(f"{imported} : consigné comme importé sur Decidim ({sum(totals.values())} voix en tout)")
        for choice, (urne, decidim) in exports.decidim_drift(ctx.store(), question=question).items():
            click.echo(f"  {choice} : Urne {urne}, Decidim {decidim} (exportez à nouveau pour envoyer la différence)")
        return 0
    if out is None:
        raise click.UsageError("--out FICHIER est obligatoire")
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
        raise PurpozError("configuration", "pas d'étape : donnez --step ou step_id dans la section [purpoz]")
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
        f"étape « {found.title} » : {n_words(len(found.proposals), 'proposition', 'propositions')}, "
        f"règle {q.rule.kind.value} (max {q.rule.max}) -> {out}"
    )
    if install:
        ctx.store().install_election(election_file.load(out))
        click.echo(f"élection « {election.id} » installée dans {ctx.data_dir}")
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
            f"{ctx.data_dir} n'est pas le dossier de données du hub : ses totaux ne sont que les bulletins de cet "
            "appareil, pas ceux de la ville ; envoyez depuis le hub ('urne purpoz push --data <dossier du hub>')"
        )
        if not (force or dry_run):
            raise click.ClickException(warning + ", ou ajoutez --force")
        click.echo(f"attention : {warning}", err=True)
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
    verb = "enverrait" if r.dry_run else "envoyé"
    for t in r.sent:
        click.echo(f"  {verb} {t.reference:<12} voix {t.votes:>6}" + (f"  points {t.points:>6}" if step.ranked else ""))
    for ref in r.not_in_election:
        click.echo(f"  laissé tel quel (pas dans cette élection) : {ref}")
    for cid in r.not_on_platform:
        click.echo(f"  absent de la plateforme : {cid}")
    for ref, code in r.errors:
        click.echo(f"  erreur sur {ref} : {code}")
    for ref, sv, gv, sp, gp in r.differences:
        click.echo(f"  DIFFÉRENCE sur {ref} : envoyé {sv}/{sp}, la plateforme a {gv}/{gp}")
    if r.dry_run:
        click.echo(
            f"essai à blanc : {n_words(len(r.sent), 'appel serait fait', 'appels seraient faits')} ; rien n'a été écrit"
        )
        return 0
    if not r.errors and not r.differences:
        store.log("sync", "purpoz.push", {"step": step_id, "proposals": len(r.sent)})
        click.echo(f"{n_words(r.calls, 'appel', 'appels')}, un par proposition ; relu : la plateforme concorde")
        return 0
    click.echo(
        f"{n_words(r.calls, 'appel', 'appels')} ; {n_words(len(r.errors), 'erreur', 'erreurs')}, "
        f"{n_words(len(r.differences), 'différence', 'différences')}",
        err=True,
    )
    return 2
