"""Provenance: a ballot's device and channel are bound to the key that signed it, relays keep
the original signatures, and replacing a review ballot is shown and audited. Bundles that
are hostile (nested brackets, a gzip bomb, signed but ill-typed) are refused by name."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import random
import tracemalloc
import uuid
import zlib
from pathlib import Path

import pytest

from ballots import audit
from ballots.ballot import BallotStatus, Channel
from ballots.store import Store
from sync import bundle, devices, merge, provenance
from sync.errors import BundleRefused
from sync.hubstore import SqliteHubStorage
from sync.record_refusals import RecordKind, RefusedRecord
from tests.sync.helpers import device_store, enrol, random_ballot, totals


@pytest.fixture
def town(tmp_path, budget_election):
    hub = device_store(tmp_path / "hub", budget_election)
    kiosk = device_store(tmp_path / "kiosk", budget_election)
    scan = device_store(tmp_path / "scan", budget_election)
    tokens = {s.device: enrol(hub, s) for s in (kiosk, scan)}
    yield hub, kiosk, scan, tokens
    for s in (hub, kiosk, scan):
        s.close()


def _wire(store: Store, ballot, *, signer: Store | None = None) -> list:
    wire = merge.ballot_to_wire(ballot)
    if signer is not None:
        wire.append(provenance.sign(devices.identity(signer), ballot))
    return wire


def _review_ballot(scan: Store, rng: random.Random):
    b = random_ballot(scan.election(), rng, scan.device, Channel.PAPER)
    return dataclasses.replace(b, status=BallotStatus.REVIEW, reasons=("ambiguous",))


def _ingest(hub: Store, device: str, ballots: list) -> dict:
    payload = {
        "device": device,
        "election": hub.election().id,
        "election_fingerprint": hub.election().fingerprint,
        "ballots": ballots,
        "register": [],
    }
    result = SqliteHubStorage(hub).ingest(device, uuid.uuid4().hex, uuid.uuid4().hex, payload)
    assert result.status == 200
    return result.body


def test_a_kiosk_token_cannot_add_paper_ballots_under_a_scan_stations_name(town):
    hub, kiosk, scan, _ = town
    rng = random.Random(1)
    forged = [random_ballot(hub.election(), rng, scan.device, Channel.PAPER) for _ in range(3)]
    # Unsigned, signed with the kiosk's own key, and a genuine scan record with its channel changed.
    genuine = random_ballot(hub.election(), rng, scan.device, Channel.PAPER)
    retagged = _wire(scan, genuine, signer=scan)
    retagged[2] = "kiosk"
    body = _ingest(
        hub,
        kiosk.device,
        [
            _wire(kiosk, forged[0]),
            _wire(kiosk, forged[1], signer=kiosk),
            _wire(kiosk, forged[2], signer=kiosk),
            retagged,
        ],
    )
    reasons = {r["record"]: r["refusal"] for r in body["refused"]}
    assert reasons[forged[0].id] == provenance.UNSIGNED
    assert reasons[forged[1].id] == reasons[forged[2].id] == reasons[genuine.id] == provenance.FORGED
    assert body["ballots_new"] == 0 and hub.counts().ballots == 0


def test_a_kiosk_cannot_replace_a_scan_stations_review_ballot_but_the_station_can_visibly(town, tmp_path):
    hub, kiosk, scan, _ = town
    review = _review_ballot(scan, random.Random(2))
    assert _ingest(hub, scan.device, [_wire(scan, review, signer=scan)])["ballots_new"] == 1
    decided = dataclasses.replace(review, status=BallotStatus.COUNTED, reasons=())
    # The kiosk forges the decision (signed with its own key): refused, the review copy stays.
    body = _ingest(hub, kiosk.device, [_wire(kiosk, decided, signer=kiosk)])
    assert [(r["record"], r["refusal"]) for r in body["refused"]] == [(review.id, provenance.FORGED)]
    assert body["ballots_updated"] == 0
    assert hub.ballot(review.id).status is BallotStatus.REVIEW
    # The scan station's own decision replaces it, and says so, in the report and the audit log.
    body = _ingest(hub, scan.device, [_wire(scan, decided, signer=scan)])
    assert body["ballots_updated"] == 1 and body["replaced"] == [review.id]
    assert hub.ballot(review.id).status is BallotStatus.COUNTED
    entries = [e for e in audit.entries(hub.db) if e.action == "sync.review_replaced"]
    assert len(entries) == 1 and review.id in json.dumps(entries[0].detail)


def test_a_relayed_bundle_keeps_each_records_original_signature(town, tmp_path, budget_election):
    hub, kiosk, scan, _ = town
    relay = device_store(tmp_path / "relay", budget_election)
    enrol(relay, scan)
    enrol(hub, relay)
    review = _review_ballot(scan, random.Random(3))
    provenance.merge_signed(relay, relay.election(), [_wire(scan, review, signer=scan)], delivered_by="usb")
    # The relay turns the review ballot into a counted one: it cannot sign as the scan station.
    with relay.transaction() as db:
        db.execute("UPDATE ballots SET status = 'counted', reasons = '[]' WHERE id = ?", [review.id])
    bundle.export(relay, tmp_path / "r.urne")
    report = bundle.import_bundle(hub, tmp_path / "r.urne").merged
    assert report.ballots_new == 0 and report.refused[0].record == review.id
    relay.close()


# -- hostile bundles -------------------------------------------------------------------------


def _forge_bundle(path: Path, signer: Store, header: dict, body: bytes) -> Path:
    """A bundle file signed with `signer`'s real key, whatever it contains."""
    me = devices.identity(signer)
    full = {
        "version": 1,
        "bundle_id": str(uuid.uuid4()),
        "device": me.device,
        "seq": 1,
        "election": signer.election().id,
        "election_fingerprint": signer.election().fingerprint,
        "ballots": 0,
        "register": 0,
        "body_length": len(body),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        **header,
    }
    hbytes = json.dumps(full).encode()
    signed = bundle.MAGIC + f"{len(hbytes):08x}\n".encode() + hbytes + body
    path.write_bytes(signed + me.sign(signed))
    return path


def test_nested_brackets_unsigned_are_refused_before_any_parse_and_the_next_bundle_goes_on(town, tmp_path):
    hub, kiosk, _, _ = town
    bad = tmp_path / "nested.urne"
    bad.write_bytes(bundle.MAGIC + b"00030d40\n" + b"[" * 200_000)
    with pytest.raises(BundleRefused) as exc:
        bundle.import_bundle(hub, bad)
    assert exc.value.reason == bundle.REASON_TRUNCATED
    small = tmp_path / "nested2.urne"
    small.write_bytes(bundle.MAGIC + b"0000c350\n" + b"[" * 50_000 + b"x" * 64)
    with pytest.raises(BundleRefused):
        bundle.import_bundle(hub, small)


def test_a_signed_gzip_bomb_is_refused_without_inflating_it(town, tmp_path):
    hub, kiosk, _, _ = town
    z = zlib.compressobj(9, wbits=31)
    parts = [z.compress(b'{"ballots": [')] + [z.compress(b" " * 1_000_000) for _ in range(400)]
    bomb = b"".join([*parts, z.compress(b'], "register": []}'), z.flush()])  # 400 MB inflated
    assert len(bomb) < 500_000
    path = _forge_bundle(tmp_path / "bomb.urne", kiosk, {"ballots": 1}, bomb)
    tracemalloc.start()
    with pytest.raises(BundleRefused) as exc:
        bundle.import_bundle(hub, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert exc.value.reason == bundle.REASON_MALFORMED and peak < 20_000_000


@pytest.mark.parametrize(
    "header,content",
    [
        ({"seq": "1"}, {"ballots": [], "register": []}),
        ({"seq": -1}, {"ballots": [], "register": []}),
        ({"seq": 2**63}, {"ballots": [], "register": []}),  # found by make fuzz: OverflowError
        ({"register": 2**63}, {"ballots": [], "register": []}),
        ({"bundle_id": 7}, {"ballots": [], "register": []}),
        ({"ballots": True}, {"ballots": [], "register": []}),
        ({}, {"ballots": 5, "register": []}),
        ({}, {"ballots": "abc", "register": []}),
        ({}, [1, 2]),
        ({"ballots": 2}, {"ballots": [], "register": []}),
        ({"ballots": 1}, {"ballots": [[[[[]]]]], "register": []}),
        ({"ballots": 1}, {"ballots": [["x\n", "e", "kiosk", "d", {}, "counted", [], "2026", False]], "register": []}),
        (
            {"ballots": 1},
            {"ballots": [["id1", "e", "kiosk", "d", {"q": [1]}, "counted", 5, "2026", "no"]], "register": []},
        ),
        ({"ballots": 1}, {"ballots": [["id1", "e", ["kiosk"], "d", {}, {}, [], None, 1]], "register": []}),
        ({"register": 1}, {"ballots": [], "register": [[1, 2, 3, 4, 5]]}),
    ],
)
def test_signed_but_ill_typed_bundles_are_refused_by_name_and_change_nothing(town, tmp_path, header, content):
    hub, kiosk, _, _ = town
    before = totals(hub)
    body = gzip.compress(json.dumps(content).encode())
    path = _forge_bundle(tmp_path / "b.urne", kiosk, header, body)
    try:
        report = bundle.import_bundle(hub, path)
    except BundleRefused as exc:
        assert exc.reason in (bundle.REASON_MALFORMED, bundle.REASON_TRUNCATED)
    else:  # a well-formed bundle whose records are refused one by one
        assert report.merged.ballots_new == 0 and report.merged.refused
    assert totals(hub) == before


def test_bundle_import_says_which_review_ballots_were_replaced(town, tmp_path, capsys):
    from kiosk.cli import main

    hub, _, scan, _ = town
    review = _review_ballot(scan, random.Random(4))
    provenance.merge_signed(hub, hub.election(), [_wire(scan, review, signer=scan)], delivered_by="usb")
    with scan.transaction() as db:  # the station's own copy, decided there by a person
        db.execute(
            "INSERT INTO ballots (id, election, channel, device, selection, status, reasons, day, test) "
            "VALUES (?, ?, 'paper', ?, ?, 'counted', '[]', ?, 0)",
            [
                review.id,
                review.election,
                scan.device,
                json.dumps({k: list(v) for k, v in review.selection.items()}),
                review.day,
            ],
        )
    bundle.export(scan, tmp_path / "scan.urne", everything=True)
    assert main(["bundle", "import", str(tmp_path / "scan.urne"), "--data", str(hub.data_dir)]) == 0
    out = capsys.readouterr().out
    assert (
        f"1 bulletin à examiner remplacé par la décision signée de leur appareil (consigné au journal) : {review.id}"
        in out
    )


# -- register entries, signed per record -------------------------------------------------------


def _entry(origin: str, n: int) -> merge.RegisterEntry:
    election = "budget-participatif-2026"
    return merge.RegisterEntry(
        hashlib.sha256(f"voter {n}".encode()).hexdigest(), election, "identity", origin, "2026-03-15"
    )


def test_a_kiosk_cannot_add_register_entries_under_another_origin(town):
    hub, kiosk, scan, _ = town
    eid = hub.election().id
    mine, theirs, signed_by_me, genuine = (
        dataclasses.replace(_entry(o, n), election=eid)
        for o, n in ((kiosk.device, 1), (scan.device, 2), (scan.device, 3), (scan.device, 4))
    )
    me = devices.identity(kiosk)
    tampered = [*merge.register_to_wire(genuine), provenance.sign_register(devices.identity(scan), genuine)]
    tampered[2] = "attest"  # the scan station's genuine entry, one field changed
    payload = {
        "device": kiosk.device,
        "election": eid,
        "election_fingerprint": hub.election().fingerprint,
        "ballots": [],
        "register": [
            merge.register_to_wire(mine),  # its own entry, bound by its token
            merge.register_to_wire(theirs),  # unsigned, under the scan station's name
            [*merge.register_to_wire(signed_by_me), provenance.sign_register(me, signed_by_me)],
            tampered,
        ],
    }
    body = SqliteHubStorage(hub).ingest(kiosk.device, "k1", "x" * 64, payload).body
    reasons = {r["record"]: r["refusal"] for r in body["refused"] if r["kind"] == "register"}
    assert reasons[theirs.fingerprint[:12]] == provenance.UNSIGNED
    assert reasons[signed_by_me.fingerprint[:12]] == provenance.FORGED
    assert reasons[genuine.fingerprint[:12]] == provenance.FORGED
    assert body["register_new"] == 1 and hub.counts().register == 1
    # The scan station's own signature, relayed by the kiosk: accepted.
    relayed = [*merge.register_to_wire(genuine), provenance.sign_register(devices.identity(scan), genuine)]
    body = SqliteHubStorage(hub).ingest(kiosk.device, "k2", "y" * 64, {**payload, "register": [relayed]}).body
    assert body["refused"] == [] and body["register_new"] == 1


def test_relayed_register_entries_keep_their_signature_through_a_bundle(town, tmp_path, budget_election):
    hub, kiosk, scan, _ = town
    relay = device_store(tmp_path / "relay", budget_election)
    enrol(relay, kiosk)
    enrol(hub, relay)
    for _ in range(3):
        kiosk.register_voter(origin=kiosk.device)
    bundle.export(kiosk, tmp_path / "k.urne")
    assert bundle.import_bundle(relay, tmp_path / "k.urne").merged.register_new == 3
    bundle.export(relay, tmp_path / "r.urne")  # the relay forwards the kiosk's entries
    report = bundle.import_bundle(hub, tmp_path / "r.urne").merged
    assert report.register_new == 3 and report.refused == ()
    # A relay that adds an entry of its own invention under the kiosk's name: refused.
    with relay.transaction() as db:
        fp = "f" * 64
        db.execute(
            "INSERT INTO register (fingerprint, election, mode, origin, day) VALUES (?, ?, 'attest', ?, '2026-03-15')",
            [fp, relay.election().id, kiosk.device],
        )
        db.execute("INSERT INTO outbox (kind, key) VALUES ('register', ?)", [f"{relay.election().id}:{fp}"])
    bundle.export(relay, tmp_path / "r2.urne")
    report = bundle.import_bundle(hub, tmp_path / "r2.urne").merged
    assert report.register_new == 0 and report.refused == (
        RefusedRecord(RecordKind.REGISTER, "f" * 12, provenance.UNSIGNED),
    )
    relay.close()
