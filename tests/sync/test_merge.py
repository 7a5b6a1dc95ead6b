"""Merging: a grow-only set union; duplicates silent, conflicts for a person, duplicate voters reported."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots.ballot import BallotStatus
from ballots.errors import AlreadyRegistered
from ballots.register import Identity
from ballots.tally import tally
from sync import merge
from sync.errors import ConflictError
from sync.record_refusals import RecordRefusal
from tests.sync.helpers import device_store, random_ballot, totals


def _wire(ballots):
    return [merge.ballot_to_wire(b) for b in ballots]


def test_same_id_same_content_is_accepted_once(tmp_path, budget_election):
    rng = random.Random(1)
    hub = device_store(tmp_path / "hub", budget_election)
    ballots = [random_ballot(budget_election, rng, "k1") for _ in range(20)]
    r1 = merge.merge(hub, budget_election, _wire(ballots), delivered_by="k1")
    r2 = merge.merge(hub, budget_election, _wire(ballots + ballots[:5]), delivered_by="k1")
    assert (r1.ballots_new, r1.ballots_known) == (20, 0)
    assert (r2.ballots_new, r2.ballots_known, r2.conflicts) == (0, 25, 0)
    assert hub.counts().ballots == 20


def test_same_id_other_content_goes_to_a_person_and_does_not_count(tmp_path, budget_election):
    rng = random.Random(2)
    hub = device_store(tmp_path / "hub", budget_election)
    a = random_ballot(budget_election, rng, "scan-1")
    q = budget_election.questions[0]
    other = next(c for c in q.choice_ids if c not in a.selection[q.id])
    b = replace(a, selection={q.id: (other,)}, device="scan-2")  # the same serial read differently
    merge.merge(hub, budget_election, _wire([a]), delivered_by="scan-1")
    r = merge.merge(hub, budget_election, _wire([b, b]), delivered_by="scan-2")
    assert r.conflicts == 1 and r.ballots_new == 0
    assert [c.ballot_id for c in merge.conflicts(hub, budget_election.id)] == [a.id]
    assert totals(hub)["counted"] == 0  # held aside, whichever copy came first
    # The domain's own tally and counts hold it aside too (urne tally, the report, the kiosk).
    assert hub.held() == {a.id: "conflict"} and hub.counts().ballots == 0
    assert tally(budget_election, hub.ballots()).ballots_counted == 0
    with pytest.raises(ConflictError):
        merge.resolve(hub, a.id, "zzz", actor="officer")
    sha = merge.conflicts(hub, budget_election.id)[0].others[0][0]
    merge.resolve(hub, a.id, sha[:8], actor="officer")
    assert hub.ballot(a.id).selection == b.selection and totals(hub)["counted"] == 1
    assert hub.held() == {} and tally(budget_election, hub.ballots()).ballots_counted == 1
    # Both copies arriving again change nothing: the person's decision stands.
    again = merge.merge(hub, budget_election, _wire([a, b]), delivered_by="scan-1")
    assert again.conflicts == 0 and merge.conflicted_ids(hub, budget_election.id) == set()


def test_items_of_another_election_or_unknown_choices_are_refused_one_by_one(tmp_path, budget_election):
    rng = random.Random(3)
    hub = device_store(tmp_path / "hub", budget_election)
    good = random_ballot(budget_election, rng, "k1")
    foreign = replace(random_ballot(budget_election, rng, "k1"), election="other")
    bad_choice = replace(random_ballot(budget_election, rng, "k1"), selection={"projets": ("p99",)})
    r = merge.merge(hub, budget_election, _wire([good, foreign, bad_choice]) + [["x"]], delivered_by="k1")
    assert r.ballots_new == 1
    assert [(x.refusal, dict(x.values)) for x in r.refused] == [
        (RecordRefusal.OTHER_ELECTION, {"election": "other"}),
        (RecordRefusal.UNKNOWN_CHOICE, {"choice": "p99", "question": "projets"}),
        (RecordRefusal.NOT_A_BALLOT, {}),
    ]


def test_one_voter_from_two_devices_is_reported_with_both_origins(tmp_path, votation_election):
    k1 = device_store(tmp_path / "k1", votation_election)
    k2 = device_store(tmp_path / "k2", votation_election)
    hub = device_store(tmp_path / "hub", votation_election)
    who = Identity("Martin", "Ève", "01/02/1980", "13210")
    k1.register_voter(identity=who, origin="kiosk-marche")
    k2.register_voter(identity=Identity("MARTIN", "Eve", "1980-02-01", "13 210"), origin="kiosk-mairie")
    for s in (k1, k2):
        merge.merge(
            hub,
            votation_election,
            [],
            [merge.register_to_wire(e) for e in merge.register_entries(s, votation_election.id)],
            delivered_by=s.device,
        )
    assert hub.counts().register == 1
    [(fp, origins)] = merge.duplicate_voters(hub, votation_election.id)
    assert origins == ("kiosk-mairie", "kiosk-marche")
    with pytest.raises(AlreadyRegistered):
        hub.register_voter(identity=who)


def test_a_review_decision_replaces_the_review_copy_in_either_order(tmp_path, budget_election):
    rng = random.Random(4)
    decided = random_ballot(budget_election, rng, "scan-1")
    waiting = replace(decided, status=BallotStatus.REVIEW, reasons=("ambiguous",))
    stores = []
    for name, order in (("a", [waiting, decided]), ("b", [decided, waiting])):
        s = device_store(tmp_path / name, budget_election)
        reports = [merge.merge(s, budget_election, _wire([b]), delivered_by="scan-1") for b in order]
        assert sum(r.conflicts for r in reports) == 0
        assert s.ballot(decided.id).status is BallotStatus.COUNTED
        stores.append(s)
    assert reports[0].ballots_new == 1 and totals(stores[0]) == totals(stores[1])
    # The same decision arriving from another device is not a decision taken on the reading device.
    other = device_store(tmp_path / "c", budget_election)
    merge.merge(other, budget_election, _wire([waiting]), delivered_by="scan-1")
    r = merge.merge(other, budget_election, _wire([replace(decided, device="scan-2")]), delivered_by="scan-2")
    assert r.conflicts == 1


# -- property: any interleaving, duplication and reordering gives one clean pass's totals ----

DEVICES = 3


@st.composite
def deliveries(draw):
    """Per device a list of ballots; then a schedule of (device, slice) deliveries, each
    possibly repeated, overlapping and reordered, ending with everything delivered at least once."""
    sizes = draw(st.lists(st.integers(0, 12), min_size=DEVICES, max_size=DEVICES))
    schedule = draw(
        st.lists(st.tuples(st.integers(0, DEVICES - 1), st.integers(0, 12), st.integers(0, 12)), max_size=12)
    )
    final_order = draw(st.permutations(list(range(DEVICES))))
    conflicts = draw(st.lists(st.tuples(st.integers(0, DEVICES - 1), st.integers(0, 11)), max_size=2))
    reviews = draw(st.lists(st.tuples(st.integers(0, DEVICES - 1), st.integers(0, 11)), max_size=4))
    seed = draw(st.integers(0, 2**32))
    return sizes, schedule, list(final_order), conflicts, reviews, seed


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=deliveries())
def test_any_delivery_order_gives_the_totals_of_one_clean_pass(tmp_path_factory, budget_election, plan):
    sizes, schedule, final_order, conflicts, reviews, seed = plan
    rng = random.Random(seed)
    per_device = [[random_ballot(budget_election, rng, f"k{d}") for _ in range(n)] for d, n in enumerate(sizes)]
    # A few ballots of one device are also delivered, altered, by another path (conflicts).
    altered = []
    for d, i in conflicts:
        if i < len(per_device[d]):
            b = per_device[d][i]
            altered.append(
                replace(
                    b, status=BallotStatus.SPOILED if b.status is not BallotStatus.SPOILED else BallotStatus.COUNTED
                )
            )
    # Some ballots were first sent while waiting for review, before a person decided on the device.
    early = [
        replace(per_device[d][i], status=BallotStatus.REVIEW, reasons=("overvote",))
        for d, i in reviews
        if i < len(per_device[d])
    ]
    base = tmp_path_factory.mktemp("p")
    clean = device_store(base / "clean", budget_election)
    messy = device_store(base / "messy", budget_election)
    for d in range(DEVICES):
        merge.merge(clean, budget_election, _wire(per_device[d]), delivered_by=f"k{d}")
    merge.merge(clean, budget_election, _wire(altered), delivered_by="other")
    for d, lo, hi in schedule:
        part = per_device[d][min(lo, hi) : max(lo, hi)]
        rng.shuffle(part)
        merge.merge(messy, budget_election, _wire(part + part[:2]), delivered_by=f"k{d}")
        if altered and rng.random() < 0.5:
            merge.merge(messy, budget_election, _wire(altered), delivered_by="other")
        if early and rng.random() < 0.5:
            merge.merge(messy, budget_election, _wire(early), delivered_by="usb")
    for d in final_order:
        merge.merge(messy, budget_election, _wire(list(reversed(per_device[d]))), delivered_by=f"k{d}")
    merge.merge(messy, budget_election, _wire(altered + early), delivered_by="other")
    assert totals(messy) == totals(clean)
    assert {b.id for b in messy.ballots(include_held=True)} == {b.id for b in clean.ballots(include_held=True)}
    assert len(list(messy.ballots(include_held=True))) == sum(sizes)  # zero duplicates, nothing lost
    assert set(messy.held()) == merge.conflicted_ids(messy, budget_election.id)
    assert merge.conflicted_ids(messy, budget_election.id) == merge.conflicted_ids(clean, budget_election.id)
    # And the union counts what the devices counted, minus what a person must look at.
    held = merge.conflicted_ids(clean, budget_election.id)
    expected = tally(budget_election, [b for bs in per_device for b in bs if b.id not in held])
    assert totals(clean)["counted"] == expected.ballots_counted
    clean.close()
    messy.close()
