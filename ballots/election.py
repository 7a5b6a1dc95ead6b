"""The election as plain frozen data: questions, choices and the rule each question follows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class RuleKind(StrEnum):
    APPROVAL = "approval"  # choose between min and max choices
    BUDGET = "budget"  # choices have costs; stay within the envelope
    RANKED = "ranked"  # order up to max choices; first gets max points
    SINGLE = "single"  # exactly one (votation / referendum)


class RegisterMode(StrEnum):
    NONE = "none"
    ATTEST = "attest"  # a volunteer attests eligibility
    IDENTITY = "identity"  # keyed hash of the normalised identity


class OutcomeRule(StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equalshares"  # Method of Equal Shares, completed with add1
    PLURALITY = "plurality"  # most votes wins (votations, questionnaires)


class InvalidHandling(StrEnum):
    """What happens to a question whose marks break the rule (overvote, budget exceeded)."""

    INVALID = "invalid"  # the question counts as invalid on that ballot
    REVIEW = "review"  # a person decides


@dataclass(frozen=True)
class Text:
    """A text in several languages; the first language given is the fallback."""

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, value: str | Mapping[str, str] | None, lang: str = "fr") -> Text:
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(((lang, value),))
        return cls(tuple((k, str(v)) for k, v in value.items()))

    def get(self, lang: str = "fr") -> str:
        for key, value in self.items:
            if key == lang:
                return value
        return self.items[0][1] if self.items else ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.items)

    def __bool__(self) -> bool:
        return any(v for _, v in self.items)


@dataclass(frozen=True)
class Choice:
    id: str
    title: Text
    description: Text = Text()
    cost: int = 0  # whole currency units (euros)
    category: str = ""
    image: str = ""  # path relative to the election file, or empty


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    min: int = 0
    max: int = 1
    budget: int = 0  # envelope, for BUDGET
    min_budget_share: float = 0.0  # e.g. 0.7 for Decidim's 70 % rule
    on_invalid: InvalidHandling = InvalidHandling.INVALID

    def points(self, rank: int) -> int:
        """Points of the choice at 0-based `rank` (Cap Collectif's votesRanking)."""
        if self.kind is not RuleKind.RANKED:
            return 1
        return max(self.max - rank, 0)


@dataclass(frozen=True)
class Question:
    id: str
    title: Text
    rule: Rule
    choices: tuple[Choice, ...]
    description: Text = Text()

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    @property
    def categories(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.choices:
            if c.category:
                seen.setdefault(c.category)
        return tuple(seen)


@dataclass(frozen=True)
class Election:
    id: str
    title: Text
    questions: tuple[Question, ...]
    description: Text = Text()
    languages: tuple[str, ...] = ("fr", "en")
    register: RegisterMode = RegisterMode.NONE
    outcome: OutcomeRule = OutcomeRule.GREEDY
    currency: str = "EUR"
    date_begin: str = ""  # ISO dates, day precision
    date_end: str = ""
    organiser: str = ""
    show_partial_results: bool = False
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # e.g. pabulib META

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def canonical(self) -> dict[str, object]:
        """A stable JSON-able form: the basis of the fingerprint printed on paper ballots."""
        return to_dict(self)

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical definition; paper ballots carry a prefix of it.

        Cached on the (frozen) object: the scanner checks it for every sheet."""
        blob = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


# A voter's answers: question id -> chosen choice ids (order matters for ranked questions).
Selection = Mapping[str, tuple[str, ...]]


def _text(t: Text) -> dict[str, str]:
    return t.as_dict()


def to_dict(e: Election) -> dict[str, object]:
    return {
        "id": e.id,
        "title": _text(e.title),
        "description": _text(e.description),
        "languages": list(e.languages),
        "register": e.register.value,
        "outcome": e.outcome.value,
        "currency": e.currency,
        "date_begin": e.date_begin,
        "date_end": e.date_end,
        "organiser": e.organiser,
        "show_partial_results": e.show_partial_results,
        "extra": [list(kv) for kv in e.extra],
        "questions": [
            {
                "id": q.id,
                "title": _text(q.title),
                "description": _text(q.description),
                "rule": {
                    "kind": q.rule.kind.value,
                    "min": q.rule.min,
                    "max": q.rule.max,
                    "budget": q.rule.budget,
                    "min_budget_share": q.rule.min_budget_share,
                    "on_invalid": q.rule.on_invalid.value,
                },
                "choices": [
                    {
                        "id": c.id,
                        "title": _text(c.title),
                        "description": _text(c.description),
                        "cost": c.cost,
                        "category": c.category,
                        "image": c.image,
                    }
                    for c in q.choices
                ],
            }
            for q in e.questions
        ],
    }


def _t(d: Mapping[str, str] | None) -> Text:
    return Text(tuple((k, v) for k, v in (d or {}).items()))


def from_dict(d: Mapping[str, object]) -> Election:
    """Inverse of `to_dict` (used by the store and by bundles); trusts its input's shape."""
    qs: list[Question] = []
    for q in d["questions"]:  # type: ignore[attr-defined]
        r = q["rule"]
        qs.append(
            Question(
                id=q["id"],
                title=_t(q["title"]),
                description=_t(q.get("description")),
                rule=Rule(
                    kind=RuleKind(r["kind"]),
                    min=int(r["min"]),
                    max=int(r["max"]),
                    budget=int(r["budget"]),
                    min_budget_share=float(r["min_budget_share"]),
                    on_invalid=InvalidHandling(r.get("on_invalid", "invalid")),
                ),
                choices=tuple(
                    Choice(
                        id=c["id"],
                        title=_t(c["title"]),
                        description=_t(c.get("description")),
                        cost=int(c.get("cost", 0)),
                        category=c.get("category", ""),
                        image=c.get("image", ""),
                    )
                    for c in q["choices"]
                ),
            )
        )
    return Election(
        id=str(d["id"]),
        title=_t(d["title"]),  # type: ignore[arg-type]
        description=_t(d.get("description")),  # type: ignore[arg-type]
        languages=tuple(d.get("languages", ("fr",))),  # type: ignore[arg-type]
        register=RegisterMode(str(d.get("register", "none"))),
        outcome=OutcomeRule(str(d.get("outcome", "greedy"))),
        currency=str(d.get("currency", "EUR")),
        date_begin=str(d.get("date_begin", "")),
        date_end=str(d.get("date_end", "")),
        organiser=str(d.get("organiser", "")),
        show_partial_results=bool(d.get("show_partial_results", False)),
        extra=tuple(tuple(kv) for kv in d.get("extra", ())),  # type: ignore[misc, attr-defined]
        questions=tuple(qs),
    )


def normalise_selection(election: Election, selection: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Every question present (empty tuple when unanswered), in the election's question order."""
    return {q.id: tuple(selection.get(q.id, ())) for q in election.questions}
