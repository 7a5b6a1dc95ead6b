"""Sync commands: sync, bundle, hub, device, conflicts, export, purpoz."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ballots.errors import UrneError
from ballots.store import Store
from kiosk.context import Context
from sync import bundle, client, devices, merge
from sync.errors import BundleRefused


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    cfg = ctx.config.sync
    code = 0
    if cfg.hub_url:
        try:
            r = client.push(store, cfg)
            print(f"pushed {r.sent} record(s) in {r.batches} batch(es) to {cfg.hub_url} ({r.accepted_new} new there)")
        except UrneError as exc:  # shown, then the status below still tells the backlog
            print(f"urne: {exc}", file=sys.stderr)
            code = 2
    st = client.status(store, cfg.hub_url)
    print(st.line())
    eid = store.election().id
    n_conf, n_dup = len(merge.conflicted_ids(store, eid)), len(merge.duplicate_voters(store, eid))
    if n_conf or n_dup:
        print(f"{n_conf} conflict(s) to decide ('urne conflicts'), {n_dup} duplicate voter(s)")
    return code


def cmd_bundle_export(ctx: Context, args: argparse.Namespace) -> int:
    r = bundle.export(ctx.store(), args.file, everything=args.all)
    print(
        f"bundle #{r.seq} written: {r.path} ({r.ballots} ballot(s), {r.register} register entr(y/ies), {r.size} bytes)"
    )
    return 0


def cmd_bundle_import(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    code = 0
    for path in args.files:
        try:
            r = bundle.import_bundle(store, path)
        except BundleRefused as exc:
            print(f"urne: {exc}", file=sys.stderr)
            code = 2
            continue
        if r.already_imported:
            print(f"{path}: already imported (bundle #{r.seq} of {r.device}): nothing changed")
            continue
        m = r.merged
        print(
            f"{path}: bundle #{r.seq} of {r.device}: {m.ballots_new} new ballot(s), {m.ballots_known} already here, "
            f"{m.conflicts} conflict(s); register {m.register_new} new, {m.duplicate_voters} duplicate voter(s)"
        )
        for ident, reason in m.refused[:20]:
            print(f"  refused {ident}: {reason}")
    counts = store.counts()
    print(f"now {counts.ballots} ballot(s) counted {dict(counts.by_channel)}, {counts.register} register entr(y/ies)")
    return code


def hub_store(ctx: Context, args: argparse.Namespace) -> Store:
    if not args.data:  # the hub keeps its own data dir unless told otherwise
        ctx.data_dir = Path(ctx.config.hub.data_dir)
    return ctx.store()


def cmd_hub(ctx: Context, args: argparse.Namespace) -> int:
    from sync.hub import serve
    from sync.hubstore import SqliteHubStorage

    store = hub_store(ctx, args)
    election = store.election()
    host = args.host or ctx.config.hub.host
    port = args.port or ctx.config.hub.port
    print(f"urne hub: election {election.id} in {store.data_dir}, listening on http://{host}:{port}", flush=True)
    serve(SqliteHubStorage(store), host, port, threads=args.threads)
    return 0


def cmd_device_show(ctx: Context, args: argparse.Namespace) -> int:
    me = devices.identity(ctx.store())
    print(f"device: {me.device}")
    print(f"public key: {me.public_key_hex}")
    print(f"key fingerprint: {devices.key_fingerprint(me.public_key_hex)}")
    return 0


def cmd_device_enrol(ctx: Context, args: argparse.Namespace) -> int:
    token = devices.enrol(ctx.store(), args.device, args.public_key, name=args.name)
    print(f"device {args.device} enrolled (key {devices.key_fingerprint(args.public_key)})")
    print(f"hub token (shown once; put it in the device's config.toml [sync] token): {token}")
    return 0


def cmd_device_list(ctx: Context, args: argparse.Namespace) -> int:
    for d in devices.devices(ctx.store()):
        state = "revoked" if d.revoked else "trusted"
        print(f"{d.device:<20} {state:<8} {devices.key_fingerprint(d.public_key)}  {d.name}  (since {d.enrolled_day})")
    return 0


def cmd_device_revoke(ctx: Context, args: argparse.Namespace) -> int:
    devices.revoke(ctx.store(), args.device)
    print(f"device {args.device} revoked")
    return 0


def cmd_conflicts(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    if args.resolve:
        merge.resolve(store, args.resolve, args.keep, actor=args.actor)
        print(f"ballot {args.resolve}: kept {args.keep}")
        return 0
    eid = store.election().id
    found = merge.conflicts(store, eid)
    for c in found:
        print(f"ballot {c.ballot_id}: stored copy {'present' if c.stored else 'missing'}")
        if c.stored:
            print(f"    stored     {c.stored.status.value:<8} {dict(c.stored.selection)} from {c.stored.device}")
        for sha, b, by in c.others:
            print(f"    {sha[:10]} {b.status.value:<8} {dict(b.selection)} via {by}")
    for fp, origins in merge.duplicate_voters(store, eid):
        print(f"duplicate voter {fp}…: origins {', '.join(origins)}")
    if not found:
        print("no open conflict")
    return 0


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from sync import exports

    print(exports.export(ctx.store(), args.format, args.out, question=args.question))
    return 0


def _purpoz(ctx: Context, args: argparse.Namespace) -> tuple[object, str]:
    from sync import purpoz
    from sync.errors import PurpozError

    cfg = ctx.config.purpoz
    step = args.step or cfg.step_id
    if not step:
        raise PurpozError("config", "no step: give --step or step_id in the [purpoz] section")
    session = purpoz.PurpozSession(cfg.base_url)
    session.login(cfg.username, os.environ.get(cfg.password_env, ""))
    return session, step


def cmd_purpoz_pull(ctx: Context, args: argparse.Namespace) -> int:
    from ballots import election_file
    from sync import purpoz

    session, step_id = _purpoz(ctx, args)
    assert isinstance(session, purpoz.PurpozSession)
    step = purpoz.read_step(session, step_id)
    election = purpoz.election_from_step(step)
    out = Path(args.out or f"{election.id}.toml")
    purpoz.write_election_toml(election, out, step_id=step_id)
    q = election.questions[0]
    print(
        f"step '{step.title}': {len(step.proposals)} proposal(s), rule {q.rule.kind.value} (max {q.rule.max}) -> {out}"
    )
    if args.install:
        ctx.store().install_election(election_file.load(out))
        print(f"election '{election.id}' installed in {ctx.data_dir}")
    return 0


def cmd_purpoz_push(ctx: Context, args: argparse.Namespace) -> int:
    from sync import purpoz

    store = ctx.store()
    election = store.election()
    session, step_id = _purpoz(ctx, args)
    assert isinstance(session, purpoz.PurpozSession)
    step = purpoz.read_step(session, step_id)
    totals = purpoz.paper_totals(election, merge.counted_ballots(store, election.id), step)
    r = purpoz.push(session, election, step, totals, dry_run=args.dry_run)
    verb = "would send" if r.dry_run else "sent"
    for t in r.sent:
        print(f"  {verb} {t.reference:<12} votes {t.votes:>6}" + (f"  points {t.points:>6}" if step.ranked else ""))
    for ref in r.not_in_election:
        print(f"  left untouched (not in this election): {ref}")
    for cid in r.not_on_platform:
        print(f"  not on the platform: {cid}")
    for ref, code in r.errors:
        print(f"  error on {ref}: {code}")
    for ref, sv, gv, sp, gp in r.differences:
        print(f"  DIFFERENCE on {ref}: sent {sv}/{sp}, platform has {gv}/{gp}")
    if r.dry_run:
        print(f"dry run: {len(r.sent)} call(s) would be made; nothing was written")
        return 0
    if not r.errors and not r.differences:
        store.log("sync", "purpoz.push", {"step": step_id, "proposals": len(r.sent)})
        print(f"{r.calls} call(s), one per proposal; read back: the platform matches")
        return 0
    print(f"{r.calls} call(s); {len(r.errors)} error(s), {len(r.differences)} difference(s)", file=sys.stderr)
    return 2


def demo_step(ctx: Context, args: argparse.Namespace) -> None:
    """Export a signed bundle from the demo kiosk and merge it twice into a fresh consolidating store."""
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
            print(
                f"[demo] sync: bundle #{r.seq} ({r.ballots} ballots, signed by {me.device}) imported at the town hall: "
                f"{first.merged.ballots_new} new; imported again: "
                f"{'nothing changed' if again.already_imported else 'CHANGED'}; town hall counts {counted}"
            )


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    from kiosk.commands import core

    p = sub.add_parser("sync", parents=[parent], help="push to the hub now and show the sync status")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("bundle", parents=[parent], help="USB bundles between offline machines")
    bsub = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    b = bsub.add_parser("export", parents=[parent], help="write a signed bundle of what is not yet acknowledged")
    b.add_argument("file")
    b.add_argument("--all", action="store_true", help="everything, not only what is unacknowledged")
    b.set_defaults(func=cmd_bundle_export)
    b = bsub.add_parser("import", parents=[parent], help="verify and merge bundles")
    b.add_argument("files", nargs="+", metavar="FILE")
    b.set_defaults(func=cmd_bundle_import)

    p = sub.add_parser("hub", parents=[parent], help="run the town's central sync server")
    p.add_argument("--host", help="address to listen on (default: [hub] host)")
    p.add_argument("--port", type=int, help="port (default: [hub] port)")
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=cmd_hub)

    p = sub.add_parser("device", parents=[parent], help="this device's key; enrol the devices this machine trusts")
    dsub = p.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    d = dsub.add_parser("show", parents=[parent], help="this device's id and public key")
    d.set_defaults(func=cmd_device_show)
    d = dsub.add_parser("enrol", parents=[parent], help="trust a device (prints its hub token)")
    d.add_argument("device")
    d.add_argument("public_key")
    d.add_argument("--name", default="")
    d.set_defaults(func=cmd_device_enrol)
    d = dsub.add_parser("list", parents=[parent], help="enrolled devices")
    d.set_defaults(func=cmd_device_list)
    d = dsub.add_parser("revoke", parents=[parent], help="stop trusting a device")
    d.add_argument("device")
    d.set_defaults(func=cmd_device_revoke)

    p = sub.add_parser("conflicts", parents=[parent], help="ballots whose copies disagree; duplicate voters")
    p.add_argument("--resolve", metavar="BALLOT", help="decide a conflict")
    p.add_argument("--keep", default="stored", help="'stored' or the hash prefix of the copy to keep")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_conflicts)

    from sync.exports import FORMATS

    p = sub.add_parser("export", parents=[parent], help="totals or ballots for Cap Collectif, Decidim, Consul, pabulib")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--question", help="question id (default: the first)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("purpoz", parents=[parent], help="Purpoz / Cap Collectif: read a step, push paper totals")
    psub = p.add_subparsers(dest="purpoz_command", metavar="ACTION", required=True)
    a = psub.add_parser("pull", parents=[parent], help="make an election file from a step's proposals")
    a.add_argument("--step", help="step id (default: [purpoz] step_id)")
    a.add_argument("--out", metavar="FILE", help="election file to write")
    a.add_argument("--install", action="store_true", help="also install it in this data dir")
    a.set_defaults(func=cmd_purpoz_pull)
    a = psub.add_parser("push", parents=[parent], help="send the deduplicated absolute paper totals")
    a.add_argument("--step", help="step id (default: [purpoz] step_id)")
    a.add_argument("--dry-run", action="store_true", help="show what would be sent; write nothing")
    a.set_defaults(func=cmd_purpoz_push)

    core.add_demo_step(demo_step)
