"""The Purpoz adapter end to end against a fake Cap Collectif that executes the real schema."""

from __future__ import annotations

import pytest
from graphql import build_schema, parse, validate, validate_schema

from ballots import election_file
from ballots.ballot import Channel, new_ballot
from ballots.store import Polls, Store
from sync import merge, purpoz
from sync import purpoz_queries as Q
from sync.errors import PurpozError
from tests.sync.fake_capcollectif import KNOWN_SCHEMA_DEFECTS, SCHEMA_FILE, FakePlatform, Served, internal_schema

pytestmark = pytest.mark.skipif(not SCHEMA_FILE.exists(), reason="shared Cap Collectif schema not available")


@pytest.fixture
def platform():
    p = FakePlatform()
    p.add_proposals(7)
    served = Served(p)
    yield p, served.url
    served.close()


def session(url: str, p: FakePlatform) -> purpoz.PurpozSession:
    s = purpoz.PurpozSession(url, timeout=5)
    s.login(p.username, p.password)
    return s


def test_every_document_is_valid_against_the_real_internal_schema():
    schema = internal_schema()
    # The SDL dump has one known defect unrelated to Urne; anything else would be news.
    full = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    problems = {e.message.split(":")[0] for e in validate_schema(full)}
    assert problems == KNOWN_SCHEMA_DEFECTS
    assert set(Q.ALL) == {"UrneStepProposals", "UrneUpdatePaperVotes", "UrnePaperVotes"}
    for name, doc in Q.ALL.items():
        assert validate(schema, parse(doc)) == [], name
    # The check has teeth: a wrong field or argument is refused.
    bad = Q.UPDATE_PAPER_VOTES.replace("errorCode", "error")
    assert validate(schema, parse(bad))


def test_login_refused_with_a_clear_message(platform):
    p, url = platform
    s = purpoz.PurpozSession(url, timeout=5)
    with pytest.raises(PurpozError, match="refusée .HTTP 401"):
        s.login(p.username, "wrong")
    with pytest.raises(PurpozError, match="non autorisé .« Access denied"):
        purpoz.read_step(s, p.step_id)  # the platform answers HTTP 200 with a GraphQL error


def test_login_answering_200_success_false_is_a_failure(platform):
    """Shield mode, e-mail not confirmed: 200 {"success": false, "reason": ...} and a cookie."""
    p, url = platform
    p.email_confirmed = False
    s = purpoz.PurpozSession(url, timeout=5)
    with pytest.raises(PurpozError, match="adresse e-mail du compte n'est pas confirmée"):
        s.login(p.username, p.password)
    assert s.http.cookies  # a cookie came back all the same: a cookie is not a login


def test_push_failures_seen_from_what_the_platform_really_returns(platform, tmp_path):
    """A closed step (STEP_NOT_VOTABLE, returned under a key the payload type lacks: null
    errorCode, null proposal) and a proposal the account may not edit (top-level GraphQL error,
    HTTP 200) are reported per proposal; the other proposals are pushed."""
    p, url = platform
    s = session(url, p)
    step = purpoz.read_step(s, p.step_id)
    election = purpoz.election_from_step(step)
    store = _store_with_votes(tmp_path, election, [("3-1", "3-2"), ("3-3",)])
    totals = purpoz.paper_totals(election, merge.counted_ballots(store), step)
    p.denied.add(p.proposals[0]["id"])
    r = purpoz.push(s, election, step, totals, dry_run=False)
    assert dict(r.errors) == {"3-1": r.errors[0][1]} and "Access denied" in r.errors[0][1]
    assert p.paper[(p.proposals[1]["id"], p.step_id)] == (1, 0)
    p.denied.clear()
    p.closed = True
    r = purpoz.push(s, election, step, totals, dry_run=False)
    assert len(r.errors) == 7 and all("not saved" in why for _, why in r.errors)
    assert ("3-1", 1, 0, 0, 0) in r.differences  # and the read-back shows it
    store.close()


def test_pull_makes_an_election_every_kiosk_can_load(platform, tmp_path):
    p, url = platform
    p.vote_type, p.budget, p.votes_limit = "BUDGET", 12000, 3
    step = purpoz.read_step(session(url, p), p.step_id)
    assert [x.reference for x in step.proposals] == [f"3-{i}" for i in range(1, 8)]
    election = purpoz.election_from_step(step)
    path = purpoz.write_election_toml(election, tmp_path / "e.toml", step_id=p.step_id)
    loaded = election_file.load(path)
    q = loaded.questions[0]
    assert q.rule.kind.value == "budget" and q.rule.budget == 12000 and q.rule.max == 3
    assert [(c.id, c.cost) for c in q.choices] == [(f"3-{i}", 1000 * i) for i in range(1, 8)]
    assert [c.platform_id("capcollectif") for c in q.choices] == [f"3-{i}" for i in range(1, 8)]
    assert loaded.fingerprint == election.fingerprint


def test_pull_pages_through_more_than_100_proposals(tmp_path):
    p = FakePlatform()
    p.add_proposals(230)
    served = Served(p)
    try:
        step = purpoz.read_step(session(served.url, p), p.step_id)
    finally:
        served.close()
    assert len(step.proposals) == 230 and len({x.id for x in step.proposals}) == 230
    assert p.calls["UrneStepProposals"] == 3


def _store_with_votes(tmp_path, election, selections) -> Store:
    s = Store(tmp_path / "data")
    s.install_election(election)
    s.set_polls(Polls.OPEN, actor="t")
    q = election.questions[0]
    for sel in selections:
        s.cast(new_ballot(election, {q.id: sel}, channel=Channel.PAPER, device="scan-1"), require_open=False)
    return s


def test_push_sends_absolute_totals_one_call_per_proposal_and_reads_back(platform, tmp_path):
    p, url = platform
    s = session(url, p)
    step = purpoz.read_step(s, p.step_id)
    election = purpoz.election_from_step(step)
    store = _store_with_votes(tmp_path, election, [("3-1", "3-2"), ("3-1",), ("3-4", "3-1", "3-7")])
    totals = purpoz.paper_totals(election, merge.counted_ballots(store), step)

    dry = purpoz.push(s, election, step, totals, dry_run=True)
    assert dry.calls == 0 and p.calls["UrneUpdatePaperVotes"] == 0 and p.paper == {}
    assert {t.reference: t.votes for t in dry.sent}["3-1"] == 3

    r = purpoz.push(s, election, step, totals, dry_run=False)
    assert r.calls == 7 == p.calls["UrneUpdatePaperVotes"]
    assert r.errors == () and r.differences == ()
    got = {ref: p.paper[(pid, p.step_id)][0] for pid, ref in ((x["id"], x["ref"]) for x in p.proposals)}
    assert got == {"3-1": 3, "3-2": 1, "3-3": 0, "3-4": 1, "3-5": 0, "3-6": 0, "3-7": 1}

    # Absolute totals: pushing again leaves the platform exactly the same.
    again = purpoz.push(s, election, step, totals, dry_run=False)
    assert again.differences == () and got == {x["ref"]: p.paper[(x["id"], p.step_id)][0] for x in p.proposals}
    store.close()


def test_push_reports_what_the_platform_did_not_keep(platform, tmp_path):
    p, url = platform
    s = session(url, p)
    step = purpoz.read_step(s, p.step_id)
    election = purpoz.election_from_step(step)
    store = _store_with_votes(tmp_path, election, [("3-2",), ("3-2", "3-3")])
    p.drop_writes_for.add(p.proposals[1]["id"])  # the platform silently loses 3-2
    r = purpoz.push(s, election, step, purpoz.paper_totals(election, merge.counted_ballots(store), step), dry_run=False)
    assert r.differences == (("3-2", 2, 0, 0, 0),)
    store.close()


def test_ranked_points_follow_votes_limit_even_above_the_number_of_proposals(tmp_path):
    """votesLimit 5 on a step of 3 proposals: the platform gives the first place 5 points online;
    paper points must be on the same scale (not 3, 2, 1)."""
    p = FakePlatform(ranked=True, votes_limit=5)
    p.add_proposals(3)
    served = Served(p)
    try:
        s = session(served.url, p)
        step = purpoz.read_step(s, p.step_id)
        election = purpoz.election_from_step(step)
        rule = election.questions[0].rule
        assert (rule.max, rule.points_scale) == (3, 5)
        path = purpoz.write_election_toml(election, tmp_path / "e.toml", step_id=p.step_id)
        assert election_file.load(path).fingerprint == election.fingerprint
        store = _store_with_votes(tmp_path, election, [("3-1", "3-2", "3-3"), ("3-2",)])
        r = purpoz.push(
            s, election, step, purpoz.paper_totals(election, merge.counted_ballots(store), step), dry_run=False
        )
        store.close()
    finally:
        served.close()
    assert r.errors == () and r.differences == ()
    pts = {x["ref"]: p.paper[(x["id"], p.step_id)] for x in p.proposals}
    assert pts == {"3-1": (1, 5), "3-2": (2, 4 + 5), "3-3": (1, 3)}


def test_ranked_step_pushes_points(tmp_path):
    p = FakePlatform(ranked=True, votes_limit=3)
    p.add_proposals(4)
    served = Served(p)
    try:
        s = session(served.url, p)
        step = purpoz.read_step(s, p.step_id)
        election = purpoz.election_from_step(step)
        assert election.questions[0].rule.kind.value == "ranked"
        store = _store_with_votes(tmp_path, election, [("3-1", "3-2", "3-3"), ("3-2", "3-1")])
        r = purpoz.push(
            s, election, step, purpoz.paper_totals(election, merge.counted_ballots(store), step), dry_run=False
        )
        store.close()
    finally:
        served.close()
    assert r.differences == ()
    pts = {x["ref"]: p.paper[(x["id"], p.step_id)] for x in p.proposals}
    assert pts == {"3-1": (2, 5), "3-2": (2, 5), "3-3": (1, 1), "3-4": (0, 0)}


def test_unknown_step_is_a_clear_error(platform):
    p, url = platform
    with pytest.raises(PurpozError, match="introuvable"):
        purpoz.read_step(session(url, p), "U2VsZWN0aW9uU3RlcDpub3Bl")
