"""outcome.decide: which ballots each rule sees."""

import random
from dataclasses import replace

from ballots.ballot import BallotStatus, Channel
from ballots.election import OutcomeRule, RuleKind
from ballots.outcome import decide
from ballots.outcome.equal_shares import equal_shares
from ballots.tally import tally
from tests.factories import ballot, election, question


def test_equal_shares_gives_blank_voters_their_share_and_ignores_uncounted():
    q = question("q", RuleKind.APPROVAL, max=3, budget=100, costs=[40, 30, 30, 20, 50])
    e = election(q, outcome=OutcomeRule.EQUAL_SHARES)
    rng = random.Random(5)
    ballots = [ballot(e, {"q": tuple(rng.sample(q.choice_ids, rng.randint(0, 3)))}) for _ in range(60)]
    ballots.append(ballot(e, {"q": ("qc0", "qc1", "qc2", "qc3")}))  # overvote: approves nothing
    ballots.append(replace(ballot(e, {"q": ("qc4",)}), status=BallotStatus.REVIEW))
    ballots.append(ballot(e, {"q": ("qc4",)}, channel=Channel.PAPER, test=True))
    out = decide(e, q, tally(e, ballots).question("q"), ballots)
    seen = [b.selection["q"] for b in ballots[:60]] + [()]
    assert out.winners == equal_shares({c.id: c.cost for c in q.choices}, seen, 100, order=q.choice_ids)
    assert out.rule == "equalshares/add1" and out.spent <= 100


def test_greedy_never_funds_a_project_without_votes():
    q = question("q", RuleKind.APPROVAL, max=2, budget=1000, costs=[10, 10, 10])
    e = election(q)
    ballots = [ballot(e, {"q": ("qc0",)})]
    assert decide(e, q, tally(e, ballots).question("q")).winners == ("qc0",)
