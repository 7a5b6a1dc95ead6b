"""pabulib `.pb` files: import of a real participatory budget with its ballots, and export back.

Contract
--------
`load(path)` reads a `.pb` file (sections META, PROJECTS, VOTES; `;`-separated; fields may be
quoted) and returns a `PabulibElection`: one `Election` with a single question `pb` whose choices
are the projects in file order, the ballots (channel `import`, device `pabulib`, id
`<election id>:<voter_id>`, status counted, day = META `date_end`), the file's `votes` column, its
`selected` column when present, and the META section (also kept in `Election.extra`).

Mapping of `vote_type` to a rule (the file's own bounds are widened to what its ballots really
contain, so that a tally reproduces the file's `votes` column; no real file needs it):
- `approval` → APPROVAL, min = `min_length` (0), max = `max_length` (number of projects);
- `ordinal` → RANKED, scored as pabulib does: a ballot ranking n projects gives n, n-1, … 1
  points (`RankPoints.BALLOT_LENGTH`; Cap Collectif's `max`, `max`-1, … stays for Urne and Purpoz
  elections);
- `cumulative` → APPROVAL over the projects a voter listed: a project's votes are the ballots
  that give it points. The points themselves are kept in `PabulibElection.points` (per ballot)
  and written back by `dump`, but Urne's outcome rules do not use them;
- `choose-1` → SINGLE.
`budget` → `Rule.budget` and `cost` → `Choice.cost`, as exact amounts (`election.money`: an int, or
a Decimal when the file has cents, e.g. Kraków 2023's 1555905.71 — never a binary float); META `rule` `equalshares…` → `OutcomeRule.EQUAL_SHARES`, anything else
(`greedy`, `greedy-threshold`, `unknown`) → GREEDY. Project titles are the `name` column in the
file's `language` (derived from `country` when absent); `category` and `description` are kept.

`dump(pb_or_election, ballots, path)` writes a valid `.pb` file: META (the election's META with the
counts brought up to date), PROJECTS (`project_id;cost;votes;name` [+ `score`, `category`,
`description`, `selected`]) and VOTES (`voter_id;vote` [+ `points`]). Counts come from the given
counted ballots. load → dump → load gives the same projects, votes and ballots.

A broken file raises `PabulibError(path, line, problem)`; nothing is half-loaded.
"""

from __future__ import annotations

from ballots.pabulib.format import (
    COUNTRY_LANG,
    DEVICE,
    QUESTION_ID,
    RULE_NAMES,
    RULES,
    SECTIONS,
    VOTE_TYPES,
    PabulibElection,
)
from ballots.pabulib.reading import load
from ballots.pabulib.writing import dump

__all__ = [
    "COUNTRY_LANG",
    "DEVICE",
    "QUESTION_ID",
    "RULE_NAMES",
    "RULES",
    "SECTIONS",
    "VOTE_TYPES",
    "PabulibElection",
    "dump",
    "load",
]
