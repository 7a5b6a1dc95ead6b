"""The election as plain frozen data: questions, choices and the rule each question follows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property

# An amount of money: a whole number of currency units (every Urne election, most pabulib files),
# or an exact decimal when the source has cents (pabulib budgets such as 1555905.71). Never a
# binary float: 0.1 + 0.2 != 0.3, and a budget check must not be off by a rounding error.
Money = int | Decimal


def money(value: object) -> Money:
    """Parse an amount exactly ('400000.0' -> 400000, '1555905.71' -> Decimal('1555905.71')).

    Raises ValueError for anything that is not a finite decimal number."""
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # TOML floats: take the shortest decimal that prints as it
        value = repr(value)
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return int(d) if d == d.to_integral_value() else d.normalize()


def money_json(value: Money) -> int | str:
    """JSON form of an amount: an integer, or the exact decimal as a string."""
    return value if isinstance(value, int) else str(value)


class RuleKind(StrEnum):
    APPROVAL = "approval"  # choose between min and max choices
    BUDGET = "budget"  # choices have costs; stay within the envelope
    RANKED = "ranked"  # order up to max choices; first gets max points
    SINGLE = "single"  # exactly one (votation / referendum)
    # points spread over choices, a choice repeated once per point (pabulib `cumulative`):
    # min/max bound the ballot's total points, `max_per_choice` one choice's
    CUMULATIVE = "cumulative"


class RegisterMode(StrEnum):
    NONE = "none"
    ATTEST = "attest"  # a volunteer attests eligibility
    IDENTITY = "identity"  # keyed hash of the normalised identity


class OutcomeRule(StrEnum):
    """Who wins. The names of budget rules are pabulib's (META `rule`), except `equalshares`."""

    GREEDY = "greedy"  # by score while it fits; a project that does not fit is skipped
    GREEDY_NO_SKIP = "greedy-no-skip"  # by score; funding stops at the first that does not fit
    GREEDY_THRESHOLD = "greedy-threshold"  # greedy over projects scoring >= the question's min_score
    EQUAL_SHARES = "equalshares"  # Method of Equal Shares, completed with add1 (pabulib equalshares/add1)
    EQUAL_SHARES_COMPARISON = "equalshares/add1-comparison"  # then kept only if voters prefer it to greedy
    PLURALITY = "plurality"  # most votes wins (votations, questionnaires)


class RankPoints(StrEnum):
    """How a ranked ballot gives points to its choices."""

    VOTES_LIMIT = "votes_limit"  # Cap Collectif: 1st gets `max` points, one less per place
    BALLOT_LENGTH = "ballot_length"  # pabulib: a ballot of n choices gives n, n-1, ... 1


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
    cost: Money = 0  # currency units (euros); an exact Decimal when the source has cents
    category: str = ""
    image: str = ""  # path relative to the election file, or empty
    summary: Text = Text()  # "en bref": one plain sentence shown under the title and read aloud
    pictogram: str = ""  # a shipped pictogram's name or a path like `image`; else the category's
    # The choice's id on each platform Urne exports to: ("decidim", "123"), ("consul", "45"),
    # ("capcollectif", "3-12"). Pulled from Purpoz; written in the election file for the others.
    platform_ids: tuple[tuple[str, str], ...] = ()

    def platform_id(self, platform: str) -> str | None:
        for name, value in self.platform_ids:
            if name == platform:
                return value
        return None


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    min: int = 0
    max: int = 1
    budget: Money = 0  # envelope, for BUDGET
    min_budget_share: float = 0.0  # e.g. 0.7 for Decidim's 70 % rule
    on_invalid: InvalidHandling = InvalidHandling.INVALID
    rank_points: RankPoints = RankPoints.VOTES_LIMIT  # RANKED only
    min_score: int = 0  # a project scoring less is never funded (pabulib min_project_score_threshold)
    # RANKED, Cap Collectif: the step's votesLimit, which sets the first place's points even when
    # the step has fewer proposals than that (0: `max`)
    points_scale: int = 0
    max_per_choice: int = 0  # CUMULATIVE: most points on one choice (0: up to max)

    def points(self, rank: int, length: int | None = None) -> int:
        """Points of the choice at 0-based `rank` on a ballot ranking `length` choices.

        Cap Collectif's votesRanking gives `max - rank` whatever the ballot's length; pabulib's
        ordinal files without a `points` column give `length - rank`."""
        if self.kind is not RuleKind.RANKED:
            return 1
        if self.rank_points is RankPoints.BALLOT_LENGTH:
            return max((self.max if length is None else length) - rank, 0)
        return max((self.points_scale or self.max) - rank, 0)


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

    @cached_property
    def choice_ids(self) -> tuple[str, ...]:
        """Cached on the (frozen) question: the rules' check asks for it once per answer."""
        return tuple(c.id for c in self.choices)

    @cached_property
    def choice_set(self) -> frozenset[str]:
        return frozenset(self.choice_ids)

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
    # Inscrits: people entitled to vote, when the town knows it (0 = unknown): printed on the PV.
    electors: int = 0
    # The time zone the procès-verbal states its times in ("" = the configuration's, else Europe/Paris).
    time_zone: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # e.g. pabulib META
    pictograms: tuple[tuple[str, str], ...] = ()  # category -> pictogram (a name or a path)

    def pictogram(self, choice: Choice) -> str:
        """The choice's own pictogram, else its category's, else ''."""
        return choice.pictogram or dict(self.pictograms).get(choice.category, "")

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def canonical(self) -> dict[str, object]:
        """A stable JSON-able form: the basis of the fingerprint printed on paper ballots.

        Presentation only (pictograms, "en bref" lines) is left out: adding a picture after the
        ballots are printed does not make them another election's."""
        d = to_dict(self)
        d.pop("pictograms", None)
        for q in d["questions"]:  # type: ignore[attr-defined]
            for c in q["choices"]:
                c.pop("summary", None)
                c.pop("pictogram", None)
        return d

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
        **({"pictograms": [list(kv) for kv in e.pictograms]} if e.pictograms else {}),
        # Only when given, so that the fingerprint of every election written before them is unchanged.
        **({"electors": e.electors} if e.electors else {}),
        **({"time_zone": e.time_zone} if e.time_zone else {}),
        "questions": [
            {
                "id": q.id,
                "title": _text(q.title),
                "description": _text(q.description),
                "rule": _rule_dict(q.rule),
                "choices": [
                    {
                        "id": c.id,
                        "title": _text(c.title),
                        "description": _text(c.description),
                        "cost": money_json(c.cost),
                        "category": c.category,
                        "image": c.image,
                        # only when set, so that existing elections keep their fingerprint
                        **({"platform_ids": dict(c.platform_ids)} if c.platform_ids else {}),
                        # written only when set: files and bundles of elections without them are unchanged
                        **({"summary": _text(c.summary)} if c.summary else {}),
                        **({"pictogram": c.pictogram} if c.pictogram else {}),
                    }
                    for c in q.choices
                ],
            }
            for q in e.questions
        ],
    }


def _rule_dict(r: Rule) -> dict[str, object]:
    d: dict[str, object] = {
        "kind": r.kind.value,
        "min": r.min,
        "max": r.max,
        "budget": money_json(r.budget),
        "min_budget_share": r.min_budget_share,
        "on_invalid": r.on_invalid.value,
    }
    # Written only when not the default, so that existing elections keep their fingerprint.
    if r.rank_points is not RankPoints.VOTES_LIMIT:
        d["rank_points"] = r.rank_points.value
    if r.min_score:
        d["min_score"] = r.min_score
    if r.max_per_choice:
        d["max_per_choice"] = r.max_per_choice
    if r.points_scale:
        d["points_scale"] = r.points_scale
    return d


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
                    budget=money(r["budget"]),
                    min_budget_share=float(r["min_budget_share"]),
                    on_invalid=InvalidHandling(r.get("on_invalid", "invalid")),
                    rank_points=RankPoints(r.get("rank_points", RankPoints.VOTES_LIMIT.value)),
                    min_score=int(r.get("min_score", 0)),
                    max_per_choice=int(r.get("max_per_choice", 0)),
                    points_scale=int(r.get("points_scale", 0)),
                ),
                choices=tuple(
                    Choice(
                        id=c["id"],
                        title=_t(c["title"]),
                        description=_t(c.get("description")),
                        cost=money(c.get("cost", 0)),
                        category=c.get("category", ""),
                        image=c.get("image", ""),
                        platform_ids=tuple((str(k), str(v)) for k, v in c.get("platform_ids", {}).items()),
                        summary=_t(c.get("summary")),
                        pictogram=str(c.get("pictogram", "")),
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
        pictograms=tuple((str(k), str(v)) for k, v in d.get("pictograms", ())),  # type: ignore[attr-defined]
        electors=int(d.get("electors", 0)),  # type: ignore[call-overload]
        time_zone=str(d.get("time_zone", "")),
        questions=tuple(qs),
    )


def normalise_selection(election: Election, selection: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Every question present (empty tuple when unanswered), in the election's question order."""
    return {q.id: tuple(selection.get(q.id, ())) for q in election.questions}
