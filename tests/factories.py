"""Factories with valid defaults: build exactly the election or ballot a test needs."""

from __future__ import annotations

from ballots.ballot import Ballot, Channel, new_ballot
from ballots.election import Choice, Election, OutcomeRule, Question, RegisterMode, Rule, RuleKind, Text


def choice(cid: str, cost: int = 0, category: str = "") -> Choice:
    return Choice(id=cid, title=Text.of(f"Projet {cid}"), cost=cost, category=category)


def question(
    qid: str = "q",
    kind: RuleKind = RuleKind.APPROVAL,
    n: int = 5,
    min: int = 0,
    max: int = 3,
    budget: int = 0,
    costs: list[int] | None = None,
    **rule: object,
) -> Question:
    costs = costs or [10 * (i + 1) for i in range(n)]
    return Question(
        id=qid,
        title=Text.of(f"Question {qid}"),
        rule=Rule(kind=kind, min=min, max=max, budget=budget, **rule),  # type: ignore[arg-type]
        choices=tuple(choice(f"{qid}c{i}", costs[i]) for i in range(len(costs))),
    )


def election(
    *questions: Question,
    eid: str = "e-test",
    register: RegisterMode = RegisterMode.NONE,
    outcome: OutcomeRule = OutcomeRule.GREEDY,
) -> Election:
    return Election(
        id=eid,
        title=Text.of("Élection de test"),
        questions=questions or (question(),),
        register=register,
        outcome=outcome,
    )


def ballot(
    e: Election,
    selection: dict[str, tuple[str, ...]],
    channel: Channel = Channel.KIOSK,
    device: str = "dev-test",
    **kw: object,
) -> Ballot:
    return new_ballot(e, selection, channel=channel, device=device, **kw)  # type: ignore[arg-type]
