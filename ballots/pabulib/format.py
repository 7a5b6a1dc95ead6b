"""The `.pb` format's vocabulary: its sections, vote types and rule names as Urne maps them,
its dates, and what a loaded file is (`PabulibElection`). See the package's contract."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ballots.ballot import Ballot
from ballots.election import Election, OutcomeRule, Question, RuleKind

QUESTION_ID = "pb"
DEVICE = "pabulib"
SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = {
    "approval": RuleKind.APPROVAL,
    "ordinal": RuleKind.RANKED,
    "cumulative": RuleKind.CUMULATIVE,
    "choose-1": RuleKind.SINGLE,
}
COUNTRY_LANG = {
    "france": "fr",
    "poland": "pl",
    "netherlands": "nl",
    "switzerland": "de",
    "belgium": "fr",
    "germany": "de",
    "spain": "es",
    "italy": "it",
    "united kingdom": "en",
    "united states": "en",
    "canada": "en",
}

# META `rule` -> the rule Urne applies. `unknown` (and any rule Urne does not implement, such as
# greedy-exclusive, whose exclusion groups the format does not carry) is decided by plain greedy;
# the file's own `rule` stays in META, the procès-verbal names the rule applied.
RULES = {
    "greedy": OutcomeRule.GREEDY,
    "greedy-no-skip": OutcomeRule.GREEDY_NO_SKIP,
    "greedy-threshold": OutcomeRule.GREEDY_THRESHOLD,
    "equalshares": OutcomeRule.EQUAL_SHARES,
    "equalshares/add1": OutcomeRule.EQUAL_SHARES,
    "equalshares/add1-comparison": OutcomeRule.EQUAL_SHARES_COMPARISON,
}
# the name Urne writes back for each rule
RULE_NAMES = {
    OutcomeRule.GREEDY: "greedy",
    OutcomeRule.GREEDY_NO_SKIP: "greedy-no-skip",
    OutcomeRule.GREEDY_THRESHOLD: "greedy-threshold",
    OutcomeRule.EQUAL_SHARES: "equalshares/add1",
    OutcomeRule.EQUAL_SHARES_COMPARISON: "equalshares/add1-comparison",
}


@dataclass(frozen=True)
class PabulibElection:
    election: Election
    ballots: tuple[Ballot, ...]
    votes: dict[str, int]  # the file's `votes` column
    selected: (
        tuple[str, ...] | None
    )  # projects with selected=1 (chosen by the rule; file order), None without the column
    meta: dict[str, str]
    scores: dict[str, int] | None = None  # the file's `score` column (ordinal / cumulative), if any
    points: tuple[tuple[int, ...], ...] | None = None  # cumulative: per ballot, points per listed project
    project_columns: dict[str, dict[str, str]] = field(default_factory=dict)  # every other column, per project
    selected_values: dict[str, str] = field(default_factory=dict)  # the `selected` column as written (0-3)

    @property
    def question(self) -> Question:
        return self.election.questions[0]


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:64] or "pabulib"


def iso_day(value: str) -> str:
    """pabulib dates are dd.mm.yyyy; Urne keeps ISO days."""
    m = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", value or "")
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return value.strip() if value else ""


def pb_day(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{m.group(3)}.{m.group(2)}.{m.group(1)}" if m else iso
