"""Every named error Urne explains to a person speaks French (issue 12: one language).

Each `UrneError` subclass of ballots, sync and the kiosk's command line is built with stand-in
values and its `message()` searched for English words (tests/english.py): a new error, or a
sentence put back in English, fails here. What callers pass as a `problem` is checked where
it is made (election and config files, bundles: their own tests; the fuzz corpus).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest

import ballots
import kiosk
import sync
from ballots.errors import UrneError
from ballots.file_problems import FileProblem
from ballots.paper.page_problems import PageProblem
from sync.bundle_refusals import Refusal
from tests.english import english_words

STAND_IN = "«X»"

# Fields whose type is not text or a number: a valid value for each.
SPECIAL = {
    "code": {
        "ElectionFileError": FileProblem.REQUIRED,
        "ConfigError": FileProblem.UNKNOWN_KEY,
        "FileProblemError": FileProblem.NOT_UTF8,
        "ResultsWithheld": "polls_not_closed",
    },
    "refusal": {"BundleRefused": Refusal.NOT_A_BUNDLE},
    "problem": {cls: PageProblem.SIDE_CUT_OFF for cls in ("SheetRefused", "FileRefused", "PageRefused", "CodeRefused")},
    "polls": {"ResultsWithheld": "open"},
}


def _modules() -> None:
    for package in (ballots, sync, kiosk):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".ui" in info.name or ".speech" in info.name:  # Qt: their words are Qt's translations
                continue
            importlib.import_module(info.name)


def _errors() -> list[type[UrneError]]:
    _modules()
    found: list[type[UrneError]] = []
    todo = list(UrneError.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


def _stand_in(cls: type[UrneError]) -> UrneError:
    if not dataclasses.is_dataclass(cls):
        return cls(STAND_IN)
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if cls.__name__ in SPECIAL.get(f.name, {}):
            values[f.name] = SPECIAL[f.name][cls.__name__]
        elif "int" in str(f.type):
            values[f.name] = 2
        elif "tuple" in str(f.type):
            values[f.name] = ()
        elif "dict" in str(f.type):
            values[f.name] = {}
        else:
            values[f.name] = STAND_IN
    return cls(**values)


ERRORS = _errors()


def test_the_errors_are_found():
    names = {c.__name__ for c in ERRORS}
    assert {"StoreBusy", "DeviceError", "ElectionFileError", "BundleRefused", "NoStaffPin"} <= names
    assert len(ERRORS) >= 40


@pytest.mark.parametrize("cls", ERRORS, ids=[c.__name__ for c in ERRORS])
def test_every_error_speaks_french(cls):
    try:
        exc = _stand_in(cls)
    except (ValueError, TypeError):  # a field that must be one of an enum's values: the polls' state
        pytest.skip(f"{cls.__name__}: no stand-in values")
    message = exc.message()
    assert english_words(message) == [], message


def test_every_refusal_code_of_the_hub_has_french_words_on_the_station():
    """The hub answers a refused batch with a code (`"error": "unknown-token"`); the station shows
    its French words (sync.client.HUB_REFUSALS), never the wire's English `detail`."""
    import re
    from pathlib import Path

    from sync.client import HUB_REFUSALS

    codes = set()
    for path in Path(sync.__file__).parent.glob("*.py"):
        codes |= set(re.findall(r'"error": "([a-z-]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 8 and codes <= set(HUB_REFUSALS), codes - set(HUB_REFUSALS)
    assert all(english_words(words) == [] for words in HUB_REFUSALS.values())


def test_no_named_error_is_raised_with_english_words():
    """The sentences callers pass to a named error (`raise BackupError(path, "…")`) are French too:
    every string written at a raise of an UrneError (or a click usage error) in ballots, sync and
    the command line is searched. Left out: single identifiers (codes, keys: "ballots",
    "not_issued"), dict literals (values for a sentence looked up elsewhere). The paper reader's
    details are codes too (ballots.paper.page_problems), so ballots/paper is searched as well."""
    import ast
    import re
    from pathlib import Path

    root = Path(ballots.__file__).parent.parent
    named = {c.__name__ for c in ERRORS} | {"UsageError", "ClickException", "BadParameter", "UrneError"}
    found = []
    for path in sorted([*root.glob("ballots/**/*.py"), *root.glob("sync/**/*.py"), *root.glob("kiosk/**/*.py")]):
        where = path.relative_to(root).as_posix()
        if where.startswith(("kiosk/ui/", "kiosk/speech/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            if getattr(func, "id", getattr(func, "attr", "")) not in named:
                continue
            dicts = {id(n) for a in node.exc.args for d in ast.walk(a) if isinstance(d, ast.Dict) for n in ast.walk(d)}
            for arg in node.exc.args:
                for n in ast.walk(arg):
                    if id(n) in dicts or not (isinstance(n, ast.Constant) and isinstance(n.value, str)):
                        continue
                    if re.fullmatch(r"[a-z_.\-]*", n.value):
                        continue
                    if english := english_words(n.value):
                        found.append(f"{where}:{node.lineno}: {n.value[:60]!r} {english[:3]}")
    assert not found, found


def test_the_english_finder_skips_random_identifiers_and_still_finds_english():
    """Regression (CI on 27e9efc): a record id's random hex spelled "be" (att-0be1d8ff) and a
    French refusal line was called English. Identifiers with a digit are not words; English still is."""
    french = "refusé : émargement att-0be1d8ff : signé par un appareil qui n'est pas inscrit ici"
    assert english_words(french) == []
    english = english_words("refused: record att-0be1d8ff is signed by an unknown device")
    assert {"refused", "record", "signed", "by"} <= set(english)
