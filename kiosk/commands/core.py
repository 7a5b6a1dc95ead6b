"""Core commands: init, status, polls, tally, audit, backup, restore."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ballots import audit as audit_log
from ballots.election import Election, money_json
from ballots.errors import ElectionFileError
from ballots.file_problems import FileProblem
from kiosk.commands.common import group, with_context
from kiosk.commands.common import n_words as _n
from kiosk.context import Context


def load_election_file(path: Path) -> tuple[Election, list[Any]]:
    """An election from .toml or .pb; for .pb also its ballots (as Ballot objects)."""
    if path.suffix.lower() == ".pb":
        from ballots import pabulib

        pb = pabulib.load(path)
        return pb.election, list(pb.ballots)
    if path.suffix.lower() != ".toml":
        raise ElectionFileError(str(path), "-", FileProblem.NOT_AN_ELECTION_FILE)
    from ballots import election_file

    return election_file.load(path), []


@click.command(help="Installer une élection (.toml ou pabulib .pb).")
@click.option(
    "--election",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="fichier d'élection (par défaut : election_file dans config.toml, sinon l'élection d'exemple)",
)
@click.option("--with-ballots", is_flag=True, help="charger aussi les bulletins d'un fichier .pb")
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="secret de l'élection (64 chiffres hexadécimaux), commun à tous les appareils de l'élection",
)
@click.option(
    "--force", is_flag=True, help="changer la définition ou la clé alors que des bulletins existent (consigné)"
)
@click.option(
    "--set-pin",
    is_flag=True,
    help="choisir aussi le code du personnel à 6 chiffres (nécessaire avant d'ouvrir le scrutin)",
)
@with_context
def init(ctx: Context, election: Path | None, with_ballots: bool, key: Path | None, force: bool, set_pin: bool) -> int:
    from ballots.keys import parse_hex_key

    path = election or ctx.config.election_file
    loaded_election, pb_ballots = load_election_file(path)
    secret = parse_hex_key(key.read_text(), str(key)) if key else None
    store = ctx.store()
    store.install_election(loaded_election, secret=secret, force=force)
    loaded = 0
    if with_ballots and pb_ballots:
        from ballots import polls as polls_service
        from ballots.store import Polls

        loaded = store.cast_many(pb_ballots)
        # A pabulib file is the record of a vote that is over: its polls are closed (audited), so
        # its results are shown and final like any closed election's (ballots.publication).
        if store.polls() is not Polls.CLOSED:
            polls_service.change(store, Polls.CLOSED, actor="init")
    n_questions = len(loaded_election.questions)
    click.echo(
        f"élection '{loaded_election.id}' prête dans {ctx.data_dir} "
        f"({n_questions} question{'s' if n_questions > 1 else ''})"
    )
    if with_ballots:
        click.echo(f"{_n(loaded, 'bulletin chargé', 'bulletins chargés')} depuis {path.name} (scrutin clos)")
    from ballots import staff_pin

    if set_pin:
        from kiosk.commands.app import ask_pin

        ask_pin(store)
    elif not staff_pin.is_set(store):
        click.echo(
            "pas encore de code du personnel : le kiosque le demande à son premier démarrage "
            "(ou urne init --set-pin, urne kiosk --set-pin) ; le vote ne s'ouvre pas sans"
        )
    return 0


def tally_json(ctx: Context, publication: Any = None) -> dict[str, Any]:
    from ballots import publication as publishing
    from ballots.outcome.cache import decide_all
    from ballots.results import ties_of
    from ballots.tally import tally_groups

    store = ctx.store()
    election = store.election()
    # identical ballots grouped by the store (one GROUP BY): the same count as tally(ballots)
    groups = store.counted_groups(election.id)
    statuses = store.statuses(election.id)
    register = store.counts().register if election.register.value != "none" else None
    t = tally_groups(
        election,
        groups,
        pending_review=statuses.get("review", 0),
        rejected=statuses.get("rejected", 0),
        spoiled=statuses.get("spoiled", 0),
        register=register,
        void=statuses.get("void", 0),
    )
    outcomes = {o.question: o for o in decide_all(store, election, t, groups)}
    p = publication or publishing.of_store(store)
    ties = {q.id: ties_of(q, t.question(q.id), outcomes[q.id]) for q in election.questions}
    return {
        "election": election.id,
        "results": p.to_json(),
        "ballots": {
            "electors": election.electors or None,
            "voters": t.voters,
            "counted": t.ballots_counted,
            "void": t.void,
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
                "voters": t.voters,
                "expressed": q.expressed,
                "blank": q.blank,
                "invalid": q.invalid,
                "winners": {
                    "rule": outcomes[q.question].rule,
                    "selected": list(outcomes[q.question].winners),
                    "spent": money_json(outcomes[q.question].spent),
                    "budget": money_json(outcomes[q.question].budget),
                    "tie_break": outcomes[q.question].tie_break,
                    "min_score": outcomes[q.question].min_score,
                    # ties the tie-break decided (the procès-verbal names them too)
                    "ties": [
                        {"choices": list(x.choices), "score": x.score, "selected": list(x.selected), "rule": x.rule}
                        for x in ties[q.question]
                    ],
                },
            }
            for q in t.questions
        },
    }


def print_tally(ctx: Context, as_json: bool = False, *, override: bool = False, actor: str = "cli") -> None:
    """The tally, if the election lets results be shown now (`ballots.publication`), else one
    line of refusal (exit 2); `override` shows them anyway and is written in the audit log."""
    from ballots import publication as publishing
    from ballots.numbers import number

    try:
        p = publishing.check(ctx.store(), override=override, actor=actor, what="tally")
    except publishing.ResultsWithheld as exc:
        if as_json:
            refusal = {"error": "results_withheld", "reason": exc.code, "polls": exc.polls, "message": str(exc)}
            click.echo(json.dumps(refusal, ensure_ascii=False))
        raise
    data = tally_json(ctx, p)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    election = ctx.store().election()
    b = data["ballots"]
    state = "définitifs" if p.final else f"PROVISOIRES ({p.why_provisional()})"
    click.echo(f"{election.title.get('fr')} — résultats {state}")
    if not p.allowed:
        click.echo("  affichés par dérogation de la commission (consignée au journal d'audit)")
    from ballots.report.labels import TIE_BREAK_LABELS_FR, channel_label, tie_at_fr

    channels = ", ".join(f"{channel_label(channel).lower()} {n}" for channel, n in b["by_channel"].items())
    click.echo(f"  {_n(b['voters'], 'votant', 'votants')} ({_n(b['counted'], 'compté', 'comptés')}"
               + (f" : {channels}" if channels else "") + f", {_n(b['void'], 'déclaré nul', 'déclarés nuls')})")  # fmt: skip
    if b["electors"]:
        click.echo(f"  {number(b['electors'])} inscrits")
    if b["pending_review"]:
        click.echo(f"  {_n(b['pending_review'], 'bulletin', 'bulletins')} à examiner (non comptés)")
    if b["held"]:
        click.echo(
            f"  {_n(b['held'], 'bulletin', 'bulletins')} en conflit entre appareils (non comptés, voir 'urne conflicts')"
        )
    symbol = {"EUR": "€"}.get(election.currency, election.currency)
    for q in election.questions:
        qd = data["questions"][q.id]
        click.echo(f"\n{q.title.get('fr')}")
        winners = set(qd["winners"]["selected"])
        for c in sorted(q.choices, key=lambda c: -qd["votes"][c.id]):
            mark = "*" if c.id in winners else " "
            # A fixed-width column for the terminal: the same grouping as everywhere, padded.
            cost = f"{number(c.cost):>9} {symbol}" if c.cost else ""
            click.echo(f" {mark} {qd['votes'][c.id]:>6}  {c.title.get('fr')[:50]:<50} {cost}")
        click.echo(
            f"   votants {qd['voters']} = exprimés {qd['expressed']} + blancs {qd['blank']} + nuls {qd['invalid']} ;"
            f" règle {qd['winners']['rule']}"
        )
        titles = {c.id: c.title.get("fr") for c in q.choices}
        for tie in qd["winners"]["ties"]:
            how = (
                "départagés : " + TIE_BREAK_LABELS_FR.get(tie["rule"], tie["rule"])
                if tie["selected"]
                else "la commission tranche"
            )
            click.echo(
                f"   égalité {tie_at_fr(tie['rule'], tie['score'])} entre {', '.join(titles[c] for c in tie['choices'])} ; {how}"
            )


@click.command(help="Compter les bulletins et désigner les gagnants.")
@click.option("--json", "as_json", is_flag=True, help="sortie lisible par une machine (un contrat stable)")
@click.option(
    "--staff-override",
    is_flag=True,
    help="montrer des résultats que l'élection n'autorise pas encore (show_partial_results = false) ; consigné au journal d'audit",
)
@click.option("--actor", default="cli", show_default=True, help="qui demande (pour le journal d'audit)")
@with_context
def tally(ctx: Context, as_json: bool, staff_override: bool, actor: str) -> int:
    print_tally(ctx, as_json, override=staff_override, actor=actor)
    return 0


@click.command(help="L'élection, le scrutin et les décomptes.")
@with_context
def status(ctx: Context) -> int:
    store = ctx.store()
    election = store.election()
    counts = store.counts()
    from ballots.publication import POLLS_FR
    from ballots.report.labels import channel_label, status_label

    click.echo(f"élection : {election.id} — {election.title.get('fr')}")
    click.echo(f"scrutin : {POLLS_FR[store.polls()]} ({store.polls().value})")
    channels = ", ".join(f"{channel_label(c).lower()} {n}" for c, n in counts.by_channel.items()) or "aucun"
    statuses = ", ".join(f"{status_label(s)} {n}" for s, n in counts.by_status.items()) or "aucun"
    click.echo(f"bulletins comptés : {counts.ballots} ({channels}) ; par statut : {statuses}")
    click.echo(f"émargements : {counts.register}")
    click.echo(f"appareil : {store.device}")
    return 0


@group("polls", help="Ouvrir, suspendre ou clore le scrutin.")
def polls() -> None:
    pass


def _polls_verb(name: str, state: str, help: str, hidden: bool = False) -> None:
    @polls.command(name, help=help, hidden=hidden)
    @click.option("--actor", default="cli", show_default=True, help="qui le fait (pour le journal d'audit)")
    @click.option("--reopen", is_flag=True, help="rouvrir un scrutin clos (consigné comme réouverture)")
    @with_context
    def change(ctx: Context, actor: str, reopen: bool) -> int:
        from ballots import polls as polls_service
        from ballots.store import Polls

        done = polls_service.change(ctx.store(), Polls(state), actor=actor, reopen=reopen)
        if done.warning is not None:
            election = ctx.store().election()
            click.echo(
                f"attention : le vote est prévu du {election.date_begin} au {election.date_end} "
                f"({done.warning.value}) ; ouverture enregistrée dans le journal",
                err=True,
            )
        from ballots.publication import POLLS_FR

        click.echo(POLLS_FR[Polls(state)] + (" (réouverture consignée au journal)" if done.reopened else ""))
        return 0


_polls_verb("open", "open", "Ouvrir le scrutin : les bornes prennent les bulletins.")
_polls_verb("pause", "paused", "Suspendre le scrutin (une pause) : aucun bulletin avant la réouverture.")
_polls_verb("close", "closed", "Clore le scrutin : le dépouillement peut commencer.")
# The state names the command line took before the verbs; kept so older scripts still work.
_polls_verb("paused", "paused", "Comme 'pause'.", hidden=True)
_polls_verb("closed", "closed", "Comme 'close'.", hidden=True)


@group("audit", help="Le journal d'audit chaîné.")
def audit() -> None:
    pass


@audit.command(help="Vérifier le journal, les bulletins et la définition contre ce qui a été ancré.")
@click.option("--head", "heads", multiple=True, metavar="SEQ:HASH", help="une tête notée ailleurs (procès-verbal, lot)")
@with_context
def verify(ctx: Context, heads: tuple[str, ...]) -> int:
    from ballots import integrity

    done = integrity.verify(ctx.store(), [integrity.parse_head(h) for h in heads])
    click.echo(f"journal d'audit intact : {done.entries} entrées, tête {done.entries}:{done.head[:16]}")
    if not done.anchored:
        click.echo("  (aucune tête gardée hors de ce dossier : comparez-la au procès-verbal avec --head SEQ:EMPREINTE)")
    if done.sealed:
        click.echo(
            "  bulletins conformes à leur sceau ; définition de l'élection inchangée ; quick_check SQLite correct"
        )
    return 0


@audit.command(help="Afficher le journal.")
@with_context
def show(ctx: Context) -> int:
    for e in audit_log.entries(ctx.store().db):
        click.echo(f"{e.seq:>5} {e.at} {e.actor:<10} {e.action:<20} {json.dumps(dict(e.detail), ensure_ascii=False)}")
    return 0


@click.command(
    help="Copie vérifiée de toutes les données dans un nouveau FICHIER ou un DOSSIER (clé USB).\n\n"
    "Dans un dossier, le fichier porte la date et l'heure ; rien n'est jamais écrasé."
)
@click.argument("file", type=click.Path(path_type=Path))
@with_context
def backup(ctx: Context, file: Path) -> int:
    from ballots import backup as backups

    path, count = backups.backup_to(ctx.store(), file)
    click.echo(f"sauvegarde écrite et vérifiée : {path} ({_n(count, 'bulletin', 'bulletins')})")
    return 0


@click.command(help="Remplacer les données par une sauvegarde vérifiée (les données actuelles sont gardées).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="même si la sauvegarde contient une autre élection")
@with_context
def restore(ctx: Context, file: Path, force: bool) -> int:
    from ballots import backup as backups

    ctx.close()
    done = backups.restore_from(file, ctx.data_dir, force=force)
    kept = f" (données précédentes gardées sous {done.kept.name})" if done.kept else ""
    click.echo(f"{_n(done.ballots, 'bulletin restauré', 'bulletins restaurés')} depuis {file}{kept}")
    return 0
