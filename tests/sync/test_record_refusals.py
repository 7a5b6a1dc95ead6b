"""Every way one record of an accepted delivery is refused: reached by a record, kept as a code
with the values it names (never English text parsed back), said in French (sync.record_refusals).

A new `RecordRefusal` without a record below that reaches it fails `test_every_refusal_is_reached`.
"""

from __future__ import annotations

import random

import pytest

from sync import bundle, merge, provenance
from sync.record_refusals import TABLE, RecordKind, RecordRefusal, RefusedRecord
from tests.english import english_words
from tests.sync.helpers import device_store, enrol, random_ballot, vote

REACHED: set[RecordRefusal] = set()


def _ballot_wire(el, **change) -> list:
    wire = merge.ballot_to_wire(random_ballot(el, random.Random(5), "k1"))
    fields = ["id", "election", "channel", "device", "selection", "status", "reasons", "day", "test"]
    for name, value in change.items():
        wire[fields.index(name)] = value
    return wire


CASES = {
    RecordRefusal.NOT_A_BALLOT: (lambda e: ([["x"]], []), {}),
    RecordRefusal.BAD_ID: (lambda e: ([_ballot_wire(e, id="not an id!")], []), {}),
    RecordRefusal.NOT_TEXT: (lambda e: ([_ballot_wire(e, election=5)], []), {}),
    RecordRefusal.NO_SELECTION: (lambda e: ([_ballot_wire(e, selection=[])], []), {}),
    RecordRefusal.REASONS_NOT_CODES: (lambda e: ([_ballot_wire(e, reasons="x")], []), {}),
    RecordRefusal.TEST_NOT_BOOLEAN: (lambda e: ([_ballot_wire(e, test="yes")], []), {}),
    RecordRefusal.UNKNOWN_CHANNEL_OR_STATUS: (lambda e: ([_ballot_wire(e, channel="fax")], []), {}),
    RecordRefusal.SELECTION_NOT_IDS: (
        lambda e: ([_ballot_wire(e, selection={"projets": "p1"})], []),
        {"question": "projets"},
    ),
    RecordRefusal.NOT_A_REGISTER_ENTRY: (lambda e: ([], [["x"]]), {}),
    RecordRefusal.NO_FINGERPRINT: (lambda e: ([], [["", e.id, "attest", "k1", "2026-03-15"]]), {}),
    RecordRefusal.OTHER_ELECTION: (lambda e: ([_ballot_wire(e, election="autre")], []), {"election": "autre"}),
    RecordRefusal.UNKNOWN_QUESTION: (lambda e: ([_ballot_wire(e, selection={"q9": []})], []), {"question": "q9"}),
    RecordRefusal.UNKNOWN_CHOICE: (
        lambda e: ([_ballot_wire(e, selection={"projets": ["p99"]})], []),
        {"choice": "p99", "question": "projets"},
    ),
}


@pytest.mark.parametrize("refusal", list(CASES), ids=str)
def test_a_bad_record_is_refused_alone_by_its_code_in_french(refusal, tmp_path, budget_election):
    make, values = CASES[refusal]
    ballots, register = make(budget_election)
    good = merge.ballot_to_wire(random_ballot(budget_election, random.Random(6), "k1"))
    store = device_store(tmp_path / "s", budget_election)
    report = merge.merge(store, budget_election, [*ballots, good], register, delivered_by="k1")
    assert report.ballots_new == 1  # the rest of the delivery goes on
    (refused,) = report.refused
    assert (refused.refusal, dict(refused.values)) == (refusal, values)
    said = refused.words()
    assert english_words(said, *values.values()) == [], said
    assert report.as_dict()["refused"] == [
        {"kind": refused.kind.value, "record": refused.record, "refusal": refusal.value, **values, "message": said}
    ]
    REACHED.add(refusal)
    store.close()


def test_signature_refusals_are_codes_with_the_device_named(tmp_path, budget_election):
    hub = device_store(tmp_path / "hub", budget_election)
    kiosk = device_store(tmp_path / "kiosk", budget_election)
    stranger = device_store(tmp_path / "stranger", budget_election)
    enrol(hub, kiosk)
    rng = random.Random(8)
    unsigned = merge.ballot_to_wire(random_ballot(budget_election, rng, kiosk.device))
    theirs = random_ballot(budget_election, rng, stranger.device)
    not_enrolled = [*merge.ballot_to_wire(theirs), provenance.sign(provenance.devices.identity(stranger), theirs)]
    mine = random_ballot(budget_election, rng, kiosk.device)
    forged = [*merge.ballot_to_wire(mine), provenance.sign(provenance.devices.identity(stranger), mine)]
    report = provenance.merge_signed(hub, budget_election, [unsigned, not_enrolled, forged], delivered_by="usb")
    got = [(r.refusal, dict(r.values)) for r in report.refused]
    assert got == [
        (RecordRefusal.UNSIGNED, {}),
        (RecordRefusal.NOT_ENROLLED, {"device": stranger.device}),
        (RecordRefusal.FORGED, {}),
    ]
    for r in report.refused:
        assert english_words(r.words(), stranger.device) == [], r.words()
        REACHED.add(r.refusal)
    for s in (hub, kiosk, stranger):
        s.close()


def test_anything_else_that_is_not_a_record_is_refused_as_malformed():
    refused = merge._refused(RecordKind.BALLOT, "x", TypeError("unhashable"))
    assert refused == RefusedRecord(RecordKind.BALLOT, "x", RecordRefusal.MALFORMED)
    assert english_words(refused.words()) == []
    REACHED.add(RecordRefusal.MALFORMED)


def test_every_refusal_is_reached():
    assert set(TABLE) == set(RecordRefusal)
    if len(REACHED) < len(RecordRefusal):  # run alone (-k): nothing to compare
        pytest.skip("run with the whole file")
    assert set(RecordRefusal) == REACHED


def test_the_command_line_says_why_a_record_was_refused_in_french(tmp_path, budget_election, capsys):
    """`urne bundle import` of a relay's bundle whose records are signed by a kiosk this machine
    does not know: every record refused, each in French, with the kiosk's name quoted."""
    from kiosk.cli import main

    kiosk = device_store(tmp_path / "kiosk", budget_election)
    relay = device_store(tmp_path / "relay", budget_election)
    hub_dir = tmp_path / "hub"
    hub = device_store(hub_dir, budget_election)
    enrol(relay, kiosk)
    enrol(hub, relay)
    kiosk.register_voter(origin=kiosk.device)
    vote(kiosk, 2, random.Random(9))
    bundle.export(kiosk, tmp_path / "k.urne")
    bundle.import_bundle(relay, tmp_path / "k.urne")
    bundle.export(relay, tmp_path / "r.urne")
    device = kiosk.device
    for s in (kiosk, relay, hub):
        s.close()
    main(["bundle", "import", str(tmp_path / "r.urne"), "--data", str(hub_dir)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "refusé" in line]
    assert lines, out
    for line in lines:
        assert f"« {device} »" in line and english_words(line, device) == [], line
    assert any("émargement" in line for line in lines) and any("bulletin" in line for line in lines)
