"""Results: per-channel figures, winners, turnout, reconciliation, decisions and the audit seal."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots import audit, results
from ballots.ballot import Ballot, BallotStatus, Channel, new_ballot
from ballots.election import Election
from ballots.outcome import decide_all
from ballots.report import labels
from ballots.tally import tally


def _b(e: Election, chosen, channel=Channel.KIOSK, bid=None, **kw) -> Ballot:
    b = new_ballot(e, {e.questions[0].id: tuple(chosen)}, channel=channel, device="t", ballot_id=bid, day="2026-05-10")
    return dataclasses.replace(b, **kw) if kw else b


def test_votes_by_channel_turnout_and_winners(budget_election):
    e = budget_election
    ballots = [
        _b(e, ["p01", "p02"]),
        _b(e, ["p01"]),
        _b(e, ["p01", "p03", "p04"], Channel.PAPER, "S1"),
        _b(e, ["p02"], Channel.IMPORT, "I1"),
        _b(e, ["p05"], Channel.PAPER, "S2", status=BallotStatus.REVIEW, reasons=("projets:ambiguous_mark",)),
        _b(e, ["p06"], Channel.PAPER, "S3", status=BallotStatus.REJECTED, reasons=("bad_mac",)),
        _b(e, ["p07"], Channel.PAPER, "T1", test=True),
    ]
    r = results.compute(e, ballots, register=2, generated_at="2026-05-30T20:00:00+00:00")
    assert r.channels == ("kiosk", "paper", "import")
    q = r.question("projets")
    p01 = q.choice("p01")
    assert p01.by_channel == {"kiosk": 2, "paper": 1, "import": 0}
    assert p01.votes == 3 and p01.rank == 1 and p01.winner
    assert q.choice("p02").by_channel == {"kiosk": 1, "paper": 0, "import": 1}
    # Ballots waiting for review, rejected ones and test ballots count for nothing.
    assert q.choice("p05").votes == 0 and q.choice("p06").votes == 0 and q.choice("p07").votes == 0
    assert [(t.channel, t.voters, t.votes) for t in r.turnout] == [("kiosk", 2, 3), ("paper", 1, 3), ("import", 1, 1)]
    assert (r.voters, r.votes) == (4, 7)
    assert (r.pending_review, r.rejected, r.final) == (1, 1, False)
    # Greedy: the four choices with votes (28 000 + 50 000 + 15 000 + 20 000) fit and come first.
    assert set(q.winners[:4]) == {"p01", "p02", "p03", "p04"}
    assert q.spent == sum(c.cost for c in q.choices if c.winner) and q.budget == 300000
    assert q.choices[0].choice == "p01"  # by rank
    rec = r.reconciliation
    assert (rec.register_entries, rec.kiosk_ballots, rec.register_difference) == (2, 2, 0)
    assert rec.paper_returned == 3 and rec.paper_issued is None and rec.paper_not_returned is None
    assert [(i.ballot, i.status) for i in r.issues] == [("S2", "review"), ("S3", "rejected")]


def test_greedy_skips_what_does_not_fit(budget_election):
    e = dataclasses.replace(
        budget_election,
        questions=(
            dataclasses.replace(
                budget_election.questions[0], rule=dataclasses.replace(budget_election.questions[0].rule, budget=70000)
            ),
        ),
    )
    # p02 (50 000) first, p01 (28 000) does not fit any more, p03 (15 000) does.
    ballots = [_b(e, ["p02", "p01", "p03"]), _b(e, ["p02", "p01", "p03"]), _b(e, ["p02", "p01"]), _b(e, ["p02"])]
    q = results.compute(e, ballots).question("projets")
    assert q.winners == ("p02", "p03")
    assert not q.choice("p01").winner and q.choice("p01").rank == 2
    assert q.spent == 50000 + 15000
    assert q.budget_share == (50000 + 15000) / 70000


def test_votation_plurality_and_ranked_points(votation_election, survey_election):
    e = votation_election
    q0 = e.questions[0]
    yes, no = q0.choice_ids[:2]
    ballots = [new_ballot(e, {q0.id: (c,)}, channel=Channel.PAPER, device="t") for c in (yes, yes, no)]
    r = results.compute(e, ballots)
    assert r.question(q0.id).winners == (yes,)
    assert r.question(q0.id).budget == 0
    assert r.reconciliation.register_entries is None and r.reconciliation.register_difference is None

    s = survey_election
    ranked = next(q for q in s.questions if q.rule.kind.value == "ranked")
    a, b, c = ranked.choice_ids[:3]
    sel = [(a, b), (b, a), (b, c)]
    ballots = [new_ballot(s, {ranked.id: x}, channel=Channel.KIOSK, device="t") for x in sel]
    qr = results.compute(s, ballots).question(ranked.id)
    assert qr.ranked
    # b is first twice and second once: it leads on points, whatever the raw votes.
    assert qr.choices[0].choice == b
    assert qr.choice(b).points == 2 * ranked.rule.points(0) + ranked.rule.points(1)


def test_from_store_reads_decisions_and_audit_seal(store, budget_election):
    e = budget_election
    store.register_voter()
    store.cast(_b(e, ["p01"]))
    store.cast(_b(e, ["p02"], Channel.PAPER, "S10", status=BallotStatus.REVIEW, reasons=("projets:ambiguous_mark",)))
    store.set_status("S10", BallotStatus.COUNTED, actor="Mme Martin", note="croix nette")
    store.set_status("S10", BallotStatus.REJECTED, actor="M. Durand", note="revu : deux croix")
    r = results.from_store(store)
    issue = next(i for i in r.issues if i.ballot == "S10")
    assert issue.status == "rejected" and issue.reasons == ("projets:ambiguous_mark",)
    assert [(d.actor, d.status, d.note) for d in issue.decisions] == [
        ("Mme Martin", "counted", "croix nette"),
        ("M. Durand", "rejected", "revu : deux croix"),
    ]
    n, head = audit.verify(store.db)
    assert r.audit == results.AuditSeal(n, head) and r.audit.intact
    assert r.reconciliation.register_entries == 1 and r.reconciliation.register_difference == 0
    assert r.voters == 1


def test_broken_audit_chain_is_shown_not_hidden(store):
    store.log("alice", "test.entry", {"x": 1})
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    r = results.from_store(store)
    assert not r.audit.intact and "entrée 1" in r.audit.problem


def test_reason_labels_in_french():
    assert labels.reason_label("projets:overvote") == "projets : trop de cases cochées"
    assert labels.reason_label("bad_mac").startswith("code d'authenticité invalide")
    assert labels.reason_label("something_new") == "something new"


# -- property: the results are the tally, whatever the ballots ---------------------------------

CHANNELS = [Channel.KIOSK, Channel.PAPER, Channel.IMPORT]
STATUSES = [
    BallotStatus.COUNTED,
    BallotStatus.COUNTED,
    BallotStatus.REVIEW,
    BallotStatus.REJECTED,
    BallotStatus.SPOILED,
]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.tuples(
            st.lists(st.integers(0, 19), max_size=7, unique=True),
            st.sampled_from(CHANNELS),
            st.sampled_from(STATUSES),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_results_totals_equal_the_tally(budget_election, data):
    e = budget_election
    ids = e.questions[0].choice_ids
    ballots = [
        _b(e, [ids[i] for i in chosen], ch, status=status, test=test and status is BallotStatus.COUNTED)
        for chosen, ch, status, test in data
    ]
    r = results.compute(e, ballots, register=5)
    t = tally(e, ballots, 5)
    qt = t.question("projets")
    qr = r.question("projets")
    for c in qr.choices:
        assert sum(c.by_channel.values()) == c.votes == qt.votes()[c.choice]
    assert r.voters == t.ballots_counted
    assert r.votes == sum(qt.votes().values())
    assert {row.channel: row.voters for row in r.turnout if row.voters} == dict(t.by_channel)
    assert (qr.blank, qr.invalid) == (qt.blank, qt.invalid)
    assert qr.winners == decide_all(e, t, ballots)[0].winners
    assert qr.spent <= qr.budget
    assert (r.pending_review, r.rejected, r.spoiled) == (t.pending_review, t.rejected, t.spoiled)


def test_equal_shares_election_names_its_rule_and_winners(budget_election):
    from ballots.election import OutcomeRule
    from ballots.outcome import decide

    e = dataclasses.replace(budget_election, outcome=OutcomeRule.EQUAL_SHARES)
    ballots = [_b(e, ["p01", "p02"]), _b(e, ["p02", "p03"]), _b(e, ["p04"], Channel.PAPER, "S1")]
    r = results.compute(e, ballots)
    q = r.question("projets")
    t = tally(e, ballots)
    assert q.rule == "equalshares/add1" == decide(e, e.questions[0], t.question("projets"), ballots).rule
    assert q.winners == decide(e, e.questions[0], t.question("projets"), ballots).winners
    assert {c.choice for c in q.choices if c.winner} == set(q.winners) and q.spent <= q.budget
    assert "parts égales" in labels.OUTCOME_LABELS_FR[q.rule]


def test_a_tie_that_decided_a_winner_is_named(budget_election):
    """Greedy: two projects with the same votes, only one fits: the election's order decided, and
    the results say so; a tie between two funded projects decided nothing and is not named."""
    e = budget_election
    q0 = e.questions[0]
    costs = {c.id: c.cost for c in q0.choices}
    budget = costs["p01"] + max(costs["p02"], costs["p03"])  # p01 and only one of p02 / p03
    e = dataclasses.replace(e, questions=(dataclasses.replace(q0, rule=dataclasses.replace(q0.rule, budget=budget)),))
    ballots = [_b(e, ["p01"]), _b(e, ["p01"]), _b(e, ["p02"]), _b(e, ["p03"])]
    q = results.compute(e, ballots).question("projets")
    assert q.winners[0] == "p01" and "p02" in q.winners and "p03" not in q.winners
    assert [(t.choices, t.score, t.selected, t.rule) for t in q.ties] == [
        (("p02", "p03"), 1, ("p02",), "election_order")
    ]
    # the same tie when both fit: nothing was decided by it
    roomy = dataclasses.replace(
        q0, rule=dataclasses.replace(q0.rule, budget=costs["p01"] + costs["p02"] + costs["p03"])
    )
    assert results.compute(dataclasses.replace(e, questions=(roomy,)), ballots).question("projets").ties == ()


def test_plurality_tie_is_left_to_the_commission(votation_election):
    e = votation_election
    q = e.questions[0]
    a, b = q.choice_ids[:2]
    ballots = [new_ballot(e, {q.id: (c,)}, channel=Channel.KIOSK, device="t") for c in (a, b)]
    qr = results.compute(e, ballots).question(q.id)
    assert [(t.choices, t.selected, t.rule) for t in qr.ties] == [((a, b), (), "commission")]


def test_declared_nul_is_a_votant_and_a_nul(budget_election):
    e = budget_election
    ballots = [
        _b(e, ["p01"]),
        _b(e, []),
        _b(e, ["p02"], Channel.PAPER, "S1", status=BallotStatus.VOID),
        _b(e, ["p03"], Channel.PAPER, "S2", status=BallotStatus.REJECTED),  # a page, not a votant
        _b(e, ["p04"], Channel.PAPER, "S3", status=BallotStatus.REVIEW),
    ]
    r = results.compute(e, ballots)
    q = r.question("projets")
    assert (r.voters, r.counted, r.void) == (3, 2, 1)
    assert (q.voters, q.expressed, q.blank, q.invalid, q.balanced) == (3, 1, 1, 1, True)
    assert r.turnout_row("paper").voters == 1 and r.turnout_row("paper").void == 1
    assert q.choice("p02").votes == 0  # a ballot declared nul gives no vote


def test_publication_decides_final_and_shown():
    from ballots.publication import Pending, Publication
    from ballots.store import Polls

    for polls in Polls:
        for partial in (False, True):
            for review in (0, 2):
                for held in (0, 1):
                    p = Publication(polls, partial, review, held)
                    assert p.allowed == (polls is Polls.CLOSED or partial)
                    assert p.final == (polls is Polls.CLOSED and review == 0 and held == 0)
                    assert (Pending.POLLS_NOT_CLOSED in p.reasons) == (polls is not Polls.CLOSED)
                    assert bool(p.why_provisional()) == (not p.final)
                    assert bool(p.why_provisional("en")) == (not p.final)
                    assert bool(p.why_withheld()) == bool(p.why_withheld("en")) == (not p.allowed)
    assert Publication(Polls.OPEN, False, 1).why_provisional() == (
        "le scrutin est ouvert ; 1 bulletin reste à examiner"
    )
    assert Publication(Polls.CLOSED, False, 0, 2).why_provisional("en") == "2 ballots are in conflict between devices"
    assert Publication(Polls.PAUSED, False, 0).why_withheld() == (
        "le scrutin est suspendu et l'élection n'autorise pas les résultats partiels (show_partial_results = false)"
    )
