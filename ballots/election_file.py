"""Election files in TOML. Every error names the key and, where it can be found, the line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ballots.election import (
    Choice,
    Election,
    InvalidHandling,
    Money,
    OutcomeRule,
    Question,
    RegisterMode,
    Rule,
    RuleKind,
    Text,
    money,
)
from ballots.errors import ElectionFileError
from ballots.file_problems import FileProblem, os_words, toml_words, type_words, wrong_type

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")  # used with fullmatch: no trailing newline

# What `urne init` accepts: beyond these a ballot cannot be printed or shown, and a hostile
# file could make the layout or the kiosk work for minutes.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_QUESTIONS = 20
MAX_CHOICES = 500  # per question
MAX_TITLE = 300  # characters, any language
MAX_DESCRIPTION = 5000
MAX_AMOUNT = 10**13  # euros (or any currency unit): far above any town's budget
MAX_LANGUAGES = 10


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, code: FileProblem, **values: object) -> ElectionFileError:
        return ElectionFileError(self.path, key, code, self._line_of(key), values)

    def _line_of(self, key: str) -> int | None:
        """Find the line of `questions[1].choices[3].cost` by walking the [[...]] headers."""
        parts = re.findall(r"([A-Za-z_]+)(?:\[(\d+)\])?", key)
        start, header = 0, ""
        for name, index in parts[:-1] if parts else []:
            header = f"{header}.{name}" if header else name
            if not index:
                continue
            seen = -1
            pattern = re.compile(rf"^\s*\[\[\s*{re.escape(header)}\s*\]\]")
            for i in range(start, len(self.lines)):
                if pattern.match(self.lines[i]):
                    seen += 1
                    if seen == int(index):
                        start = i + 1
                        break
            else:
                return None
        if not parts:
            return None
        last = parts[-1][0]
        if parts[-1][1]:  # the key is a table itself: point at its header
            return start or None
        key_re = re.compile(rf"^\s*{re.escape(last)}(\.[A-Za-z_]+)?\s*=")
        for i in range(start, len(self.lines)):
            if self.lines[i].lstrip().startswith("[") and (i > start or not start):
                break
            if key_re.match(self.lines[i]):
                return i + 1
        return start or None

    # -- typed getters ---------------------------------------------------------------------

    def get(self, table: Mapping[str, Any], key: str, prefix: str, typ: type, default: Any = ...) -> Any:
        full = f"{prefix}.{key}" if prefix else key
        if key not in table:
            if default is ...:
                raise self.fail(full, FileProblem.REQUIRED)
            return default
        value = table[key]
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise self.fail(full, FileProblem.WRONG_TYPE, **wrong_type(typ, value))
        return value

    def text(self, table: Mapping[str, Any], key: str, prefix: str, required: bool = False) -> Text:
        full = f"{prefix}.{key}" if prefix else key
        if key not in table:
            if required:
                raise self.fail(full, FileProblem.REQUIRED)
            return Text()
        value = table[key]
        limit = MAX_TITLE if key == "title" else MAX_DESCRIPTION
        texts = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else []
        if not texts or not all(isinstance(v, str) for v in texts):
            raise self.fail(full, FileProblem.TEXT_SHAPE)
        if any(len(v) > limit for v in texts):
            raise self.fail(full, FileProblem.TOO_LONG, limit=limit)
        if isinstance(value, dict) and len(value) > MAX_LANGUAGES:
            raise self.fail(full, FileProblem.TOO_MANY_LANGUAGES, limit=MAX_LANGUAGES)
        return Text.of(value)

    def enum(self, table: Mapping[str, Any], key: str, prefix: str, enum: Any, default: Any) -> Any:
        raw = self.get(table, key, prefix, str, default.value)
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(f"« {e.value} »" for e in enum)
            raise self.fail(
                f"{prefix}.{key}" if prefix else key, FileProblem.NOT_ONE_OF, value=raw, allowed=allowed
            ) from None

    def ident(self, table: Mapping[str, Any], prefix: str) -> str:
        value = table.get("id")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(f"{prefix}.id" if prefix else "id", FileProblem.BAD_ID)
        return value


def _money(r: _Reader, table: Mapping[str, Any], key: str, prefix: str) -> Money:
    """An amount: 1200, 1555905.71 or "1555905.71" (a string keeps the exact decimal as typed)."""
    value = table.get(key, 0)
    try:
        if isinstance(value, (int, float, str)) and len(str(value)) <= 40:
            amount = money(value)
            if Decimal(amount).copy_abs() <= MAX_AMOUNT:
                return amount
    except ValueError:
        pass
    raise r.fail(f"{prefix}.{key}", FileProblem.BAD_AMOUNT, value=str(value)[:40])


PLATFORMS = ("capcollectif", "consul", "decidim")


def _platform_ids(r: _Reader, raw: Mapping[str, Any], prefix: str) -> tuple[tuple[str, str], ...]:
    """`ids = { decidim = 123, consul = 45, capcollectif = "3-12" }`: the choice on each platform."""
    value = raw.get("ids", {})
    if not isinstance(value, dict):
        raise r.fail(f"{prefix}.ids", FileProblem.BAD_PLATFORM_IDS)
    out = []
    for name, pid in value.items():
        if name not in PLATFORMS:
            raise r.fail(
                f"{prefix}.ids.{name}", FileProblem.UNKNOWN_PLATFORM, allowed=", ".join(f"« {p} »" for p in PLATFORMS)
            )
        if isinstance(pid, bool) or not isinstance(pid, (int, str)) or not str(pid).strip():
            raise r.fail(f"{prefix}.ids.{name}", FileProblem.BAD_PLATFORM_ID)
        out.append((name, str(pid).strip()))
    return tuple(sorted(out))


def _choice(r: _Reader, raw: Mapping[str, Any], prefix: str) -> Choice:
    if not isinstance(raw, dict):
        raise r.fail(prefix, FileProblem.NOT_A_TABLE, example="[[questions.choices]]", found=type_words(type(raw)))
    cost = _money(r, raw, "cost", prefix)
    if cost < 0:
        raise r.fail(f"{prefix}.cost", FileProblem.NEGATIVE)
    return Choice(
        id=r.ident(raw, prefix),
        title=r.text(raw, "title", prefix, required=True),
        description=r.text(raw, "description", prefix),
        cost=cost,
        category=r.get(raw, "category", prefix, str, ""),
        image=r.get(raw, "image", prefix, str, ""),
        platform_ids=_platform_ids(r, raw, prefix),
        summary=r.text(raw, "summary", prefix),
        pictogram=r.get(raw, "pictogram", prefix, str, ""),
    )


def _question(r: _Reader, raw: Mapping[str, Any], prefix: str) -> Question:
    if not isinstance(raw, dict):
        raise r.fail(prefix, FileProblem.NOT_A_TABLE, example="[[questions]]", found=type_words(type(raw)))
    kind = r.enum(raw, "rule", prefix, RuleKind, RuleKind.APPROVAL)
    if kind is RuleKind.CUMULATIVE:
        raise r.fail(f"{prefix}.rule", FileProblem.CUMULATIVE_FROM_PABULIB)
    choices_raw = raw.get("choices")
    if not isinstance(choices_raw, list) or not choices_raw:
        raise r.fail(f"{prefix}.choices", FileProblem.NO_CHOICES)
    if len(choices_raw) > MAX_CHOICES:
        raise r.fail(f"{prefix}.choices", FileProblem.TOO_MANY_CHOICES, count=len(choices_raw), limit=MAX_CHOICES)
    choices = tuple(_choice(r, c, f"{prefix}.choices[{i}]") for i, c in enumerate(choices_raw))
    seen: set[str] = set()
    for i, c in enumerate(choices):
        if c.id in seen:
            raise r.fail(f"{prefix}.choices[{i}].id", FileProblem.USED_TWICE, value=c.id)
        seen.add(c.id)
    default_max = 1 if kind is RuleKind.SINGLE else len(choices)
    rule = Rule(
        kind=kind,
        min=r.get(raw, "min", prefix, int, 1 if kind is RuleKind.SINGLE else 0),
        max=r.get(raw, "max", prefix, int, default_max),
        budget=_money(r, raw, "budget", prefix),
        min_score=r.get(raw, "min_score", prefix, int, 0),
        points_scale=r.get(raw, "points_scale", prefix, int, 0),
        min_budget_share=r.get(raw, "min_budget_share", prefix, float, 0.0),
        on_invalid=r.enum(raw, "on_invalid", prefix, InvalidHandling, InvalidHandling.INVALID),
    )
    if rule.max < 1 or rule.max > len(choices):
        raise r.fail(f"{prefix}.max", FileProblem.MAX_OUT_OF_RANGE, choices=len(choices))
    if not 0 <= rule.min <= rule.max:
        raise r.fail(f"{prefix}.min", FileProblem.MIN_OUT_OF_RANGE, max=rule.max)
    if kind is RuleKind.SINGLE and (rule.max != 1 or rule.min != 1):
        raise r.fail(f"{prefix}.max", FileProblem.SINGLE_IS_ONE)
    if kind is RuleKind.BUDGET and rule.budget <= 0:
        raise r.fail(f"{prefix}.budget", FileProblem.BUDGET_NEEDS_ENVELOPE)
    if not 0.0 <= rule.min_budget_share <= 1.0:
        raise r.fail(f"{prefix}.min_budget_share", FileProblem.SHARE_OUT_OF_RANGE)
    if rule.points_scale and (kind is not RuleKind.RANKED or rule.points_scale < rule.max):
        raise r.fail(f"{prefix}.points_scale", FileProblem.POINTS_SCALE)
    if rule.min_score < 0:
        raise r.fail(f"{prefix}.min_score", FileProblem.MIN_SCORE_NEGATIVE)
    return Question(
        id=r.ident(raw, prefix),
        title=r.text(raw, "title", prefix, required=True),
        description=r.text(raw, "description", prefix),
        rule=rule,
        choices=choices,
    )


def parse(text: str, path: str = "<election>") -> Election:
    if len(text) > MAX_FILE_BYTES:
        raise ElectionFileError(path, "-", FileProblem.TOO_LARGE, values={"limit": MAX_FILE_BYTES})
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        why, line = toml_words(str(exc))
        raise ElectionFileError(path, "-", FileProblem.NOT_TOML, line, {"why": why}) from exc
    except RecursionError:  # thousands of nested [ or {
        raise ElectionFileError(path, "-", FileProblem.NESTED_TOO_DEEPLY) from None
    r = _Reader(path, text)
    questions_raw = raw.get("questions")
    if not isinstance(questions_raw, list) or not questions_raw:
        raise r.fail("questions", FileProblem.NO_QUESTIONS)
    if len(questions_raw) > MAX_QUESTIONS:
        raise r.fail("questions", FileProblem.TOO_MANY_QUESTIONS, count=len(questions_raw), limit=MAX_QUESTIONS)
    questions = tuple(_question(r, q, f"questions[{i}]") for i, q in enumerate(questions_raw))
    ids: set[str] = set()
    for i, q in enumerate(questions):
        if q.id in ids:
            raise r.fail(f"questions[{i}].id", FileProblem.USED_TWICE, value=q.id)
        ids.add(q.id)
    languages = r.get(raw, "languages", "", list, ["fr", "en"])
    if (
        not languages
        or len(languages) > MAX_LANGUAGES
        or not all(isinstance(x, str) and 0 < len(x) <= 8 for x in languages)
    ):
        raise r.fail("languages", FileProblem.BAD_LANGUAGES)
    for key in ("date_begin", "date_end"):
        value = raw.get(key, "")
        if hasattr(value, "isoformat"):
            raw[key] = value.isoformat()
        elif value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise r.fail(key, FileProblem.BAD_DATE)
    return Election(
        id=r.ident(raw, ""),
        title=r.text(raw, "title", "", required=True),
        description=r.text(raw, "description", ""),
        languages=tuple(languages),
        register=r.enum(raw, "register", "", RegisterMode, RegisterMode.NONE),
        outcome=r.enum(raw, "outcome", "", OutcomeRule, OutcomeRule.GREEDY),
        currency=r.get(raw, "currency", "", str, "EUR"),
        date_begin=str(raw.get("date_begin", "")),
        date_end=str(raw.get("date_end", "")),
        organiser=r.get(raw, "organiser", "", str, ""),
        show_partial_results=r.get(raw, "show_partial_results", "", bool, False),
        electors=_electors(r, raw),
        time_zone=_time_zone(r, raw),
        pictograms=_pictograms(r, raw),
        questions=questions,
    )


def _electors(r: _Reader, raw: Mapping[str, Any]) -> int:
    """`electors`: the inscrits, people entitled to vote (optional; the PV prints it)."""
    n = r.get(raw, "electors", "", int, 0)
    if isinstance(n, bool) or not 0 <= n <= 100_000_000:
        raise r.fail("electors", FileProblem.BAD_ELECTORS)
    return int(n)


def _time_zone(r: _Reader, raw: Mapping[str, Any]) -> str:
    """`time_zone`: an IANA name such as "Europe/Paris" or "America/Cayenne" (optional)."""
    name = r.get(raw, "time_zone", "", str, "")
    if name:
        from ballots.clock import zone

        try:
            zone(name)
        except ValueError:
            raise r.fail("time_zone", FileProblem.UNKNOWN_TIME_ZONE, value=name) from None
    return str(name)


def _pictograms(r: _Reader, raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """`[pictograms]`: one line per category, `Mobilité = "velo"` (a shipped name or a path)."""
    table = raw.get("pictograms", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise r.fail("pictograms", FileProblem.BAD_PICTOGRAMS)
    return tuple((str(k), v) for k, v in table.items())


def load(path: str | Path) -> Election:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ElectionFileError(str(p), "-", FileProblem.TOO_LARGE, values={"limit": MAX_FILE_BYTES})
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ElectionFileError(str(p), "-", FileProblem.FILE_NOT_FOUND) from None
    except UnicodeDecodeError:
        raise ElectionFileError(str(p), "-", FileProblem.NOT_UTF8) from None
    except OSError as exc:  # a folder, a device, no permission
        raise ElectionFileError(str(p), "-", FileProblem.UNREADABLE, values={"why": os_words(exc)}) from None
    return parse(text, str(p))
