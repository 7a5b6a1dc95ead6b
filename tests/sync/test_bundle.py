"""USB bundles: signed, verified, merged once; tampered, truncated, foreign, replayed refused."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from ballots import election_file
from sync import bundle, merge
from sync.errors import BundleRefused
from sync.record_refusals import RecordRefusal
from tests.conftest import SAMPLE_SURVEY
from tests.english import english_words
from tests.sync.helpers import device_store, enrol, totals, vote


@pytest.fixture
def kiosk_and_town(tmp_path, budget_election):
    kiosk = device_store(tmp_path / "kiosk", budget_election)
    town = device_store(tmp_path / "town", budget_election)
    enrol(town, kiosk, "marché")
    vote(kiosk, 30, random.Random(7))
    for _ in range(30):
        kiosk.register_voter(origin=kiosk.device)
    yield kiosk, town
    kiosk.close()
    town.close()


def test_export_import_gives_the_same_totals_and_twice_changes_nothing(kiosk_and_town, tmp_path):
    kiosk, town = kiosk_and_town
    path = tmp_path / "k.urne"
    r = bundle.export(kiosk, path)
    assert (r.ballots, r.register) == (30, 30)
    first = bundle.import_bundle(town, path)
    assert first.merged.ballots_new == 30 and first.merged.register_new == 30 and not first.already_imported
    assert totals(town) == totals(kiosk)
    audit_before = town.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    again = bundle.import_bundle(town, path)
    assert again.already_imported and again.merged == merge.MergeReport()
    assert totals(town) == totals(kiosk)
    assert town.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_before


def test_export_shuffles_records(kiosk_and_town, tmp_path):
    kiosk, _ = kiosk_and_town
    orders = []
    for i in range(2):
        bundle.export(kiosk, tmp_path / f"{i}.urne")
        _, _, body, _ = bundle.read(tmp_path / f"{i}.urne")
        orders.append([b[0] for b in json.loads(gzip.decompress(body))["ballots"]])
    assert sorted(orders[0]) == sorted(orders[1])
    assert orders[0] != orders[1] and orders[0] != sorted(orders[0])


def test_export_without_all_holds_only_what_is_unacknowledged(kiosk_and_town, tmp_path):
    kiosk, _ = kiosk_and_town
    kiosk.conn.execute("UPDATE outbox SET state = 'sent' WHERE kind = 'ballot'")
    assert bundle.export(kiosk, tmp_path / "a.urne").ballots == 0
    assert bundle.export(kiosk, tmp_path / "b.urne", everything=True).ballots == 30


def _refused(town, path) -> str:
    before = totals(town)
    with pytest.raises(BundleRefused) as exc:
        bundle.import_bundle(town, path)
    assert totals(town) == before  # nothing merged
    assert english_words(str(exc.value), str(path)) == [], str(exc.value)  # said in French (issue 12)
    return exc.value.reason


def test_tampered_bundle_is_refused(kiosk_and_town, tmp_path):
    kiosk, town = kiosk_and_town
    path = tmp_path / "k.urne"
    bundle.export(kiosk, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp_path / "flip.urne").write_bytes(bytes(data))
    assert _refused(town, tmp_path / "flip.urne") == bundle.REASON_TAMPERED
    # Rewriting the header (more ballots claimed, another device's name) breaks the signature too.
    raw = path.read_bytes()
    forged = raw.replace(b'"seq": 1', b'"seq": 9')
    assert forged != raw
    (tmp_path / "forged.urne").write_bytes(forged)
    assert _refused(town, tmp_path / "forged.urne") == bundle.REASON_TAMPERED
    (tmp_path / "extra.urne").write_bytes(raw + b"x")
    assert _refused(town, tmp_path / "extra.urne") == bundle.REASON_TAMPERED


def test_truncated_or_not_a_bundle_is_refused(kiosk_and_town, tmp_path):
    kiosk, town = kiosk_and_town
    path = tmp_path / "k.urne"
    bundle.export(kiosk, path)
    raw = path.read_bytes()
    for n in (len(raw) - 1, len(raw) // 2, 30):
        (tmp_path / "cut.urne").write_bytes(raw[:n])
        assert _refused(town, tmp_path / "cut.urne") == bundle.REASON_TRUNCATED
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 JFIF")
    assert _refused(town, tmp_path / "photo.jpg") == bundle.REASON_NOT_A_BUNDLE


def test_bundle_from_an_unenrolled_device_or_another_election_is_refused(kiosk_and_town, tmp_path, budget_election):
    kiosk, town = kiosk_and_town
    stranger = device_store(tmp_path / "stranger", budget_election)
    vote(stranger, 3, random.Random(1))
    bundle.export(stranger, tmp_path / "s.urne")
    assert _refused(town, tmp_path / "s.urne") == bundle.REASON_UNKNOWN_DEVICE

    survey = device_store(tmp_path / "survey", election_file.load(SAMPLE_SURVEY))
    enrol(town, survey)
    bundle.export(survey, tmp_path / "v.urne")
    with pytest.raises(BundleRefused, match="n'est pas installée ici") as exc:
        bundle.import_bundle(town, tmp_path / "v.urne")
    assert exc.value.reason == bundle.REASON_FOREIGN


def test_an_older_bundle_replayed_after_a_newer_one_is_refused(kiosk_and_town, tmp_path):
    kiosk, town = kiosk_and_town
    bundle.export(kiosk, tmp_path / "1.urne")
    vote(kiosk, 2, random.Random(9))
    bundle.export(kiosk, tmp_path / "2.urne")
    assert bundle.import_bundle(town, tmp_path / "2.urne").merged.ballots_new == 32
    with pytest.raises(BundleRefused, match="plus ancien que le n° 2") as exc:
        bundle.import_bundle(town, tmp_path / "1.urne")
    assert exc.value.reason == bundle.REASON_REPLAY


def test_a_relay_forwards_what_it_imported(kiosk_and_town, tmp_path, budget_election):
    kiosk, town = kiosk_and_town
    bundle.export(kiosk, tmp_path / "k.urne")
    bundle.import_bundle(town, tmp_path / "k.urne")
    hub = device_store(tmp_path / "hub", budget_election)
    enrol(hub, town)
    bundle.export(town, tmp_path / "t.urne")
    # The relay passes on each record with the kiosk's own signature: the hub, which does
    # not know the kiosk yet, refuses every ballot record and every register entry.
    first = bundle.import_bundle(hub, tmp_path / "t.urne").merged
    assert first.ballots_new == first.register_new == 0 and len(first.refused) == 60
    assert all(
        r.refusal is RecordRefusal.NOT_ENROLLED and dict(r.values) == {"device": kiosk.device} for r in first.refused
    )
    enrol(hub, kiosk)
    bundle.export(town, tmp_path / "t2.urne")
    second = bundle.import_bundle(hub, tmp_path / "t2.urne").merged
    assert second.ballots_new == second.register_new == 30 and second.refused == ()
    assert totals(hub) == totals(kiosk)
    hub.close()


def test_a_kiosk_restored_from_a_backup_can_still_send_bundles(kiosk_and_town, tmp_path):
    """Issue 17 item 11: bundles after a restore reused older numbers and were refused as replays."""
    from ballots import backup
    from ballots.store import Store

    kiosk, town = kiosk_and_town
    saved = tmp_path / "kiosk-backup.sqlite"
    backup.backup(kiosk, saved)
    for i in range(2):  # bundles numbered after the backup reach the town hall
        bundle.import_bundle(town, bundle.export(kiosk, tmp_path / f"after-{i}.urne").path)
    data_dir = kiosk.data_dir
    kiosk.close()
    backup.restore(saved, data_dir)
    with Store(data_dir) as restored:
        report = bundle.import_bundle(town, bundle.export(restored, tmp_path / "restored.urne").path)
    assert not report.already_imported and report.seq > 2
