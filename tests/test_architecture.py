"""The layering as declared contracts (import-linter, `[tool.importlinter]` in pyproject.toml),
and no SQL under kiosk/: the app shell displays and forwards intent, the domain owns the tables."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def _lint_imports() -> str:
    exe = ROOT / ".venv" / "bin" / "lint-imports"
    if exe.exists():
        return str(exe)
    found = shutil.which("lint-imports")
    if not found:
        pytest.skip("import-linter is not installed")
    return found


def test_import_contracts_are_kept():
    r = subprocess.run([_lint_imports()], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "0 broken" in r.stdout and "3 kept" in r.stdout


def test_a_broken_contract_is_seen(tmp_path):
    """The linter really reads the imports: a contract the code breaks on purpose fails."""
    cfg = tmp_path / "contracts.toml"
    cfg.write_text(
        '[tool.importlinter]\nroot_packages = ["ballots", "kiosk", "sync"]\ninclude_external_packages = true\n\n'
        '[[tool.importlinter.contracts]]\nname = "kiosk without Qt (false on purpose)"\ntype = "forbidden"\n'
        'source_modules = ["kiosk"]\nforbidden_modules = ["PySide6"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "upside down (false on purpose)"\ntype = "layers"\n'
        'layers = ["ballots", "kiosk"]\n'
    )
    r = subprocess.run([_lint_imports(), "--config", str(cfg)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0 and "2 broken" in r.stdout, r.stdout[-3000:]


SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)"
    r"|DROP\s+TABLE|PRAGMA\s+\w+|VACUUM\b)"  # upper case, as every statement in this code base is written
)


def sql_under_kiosk() -> list[str]:
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if SQL.search(line) or re.search(r"\.execute(many)?\(|\.conn\.|sqlite3\.connect", line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    return found


def test_the_sql_finder_finds_sql(tmp_path):
    assert SQL.search('db.execute("UPDATE ballots SET reasons = ? WHERE id = ?", [r, s])')
    assert SQL.search("rows = conn.execute('SELECT count(*) FROM ballots')")
    assert not SQL.search("the select switch acts, and the scan starts again from there")
    assert not SQL.search('label.setText("Select a project, then update the list")')


def test_no_sql_under_kiosk():
    assert sql_under_kiosk() == []


BALLOTS_SQL = re.compile(r"\b(FROM|INTO|UPDATE|JOIN)\s+ballots\b")
# The store owns the table (store.py and its part store_elections.py); the backup check opens a copied file before it is a store; the
# PostgreSQL hub has its own `ballots` table in its own database.
BALLOTS_TABLE_OWNERS = {
    "ballots/store.py",
    "ballots/store_elections.py",
    "ballots/backup.py",
    "sync/pghub.py",
    "sync/pgmix.py",  # the PostgreSQL hub's mixing pool: how its ballots reach the counted table
}
BALLOTS_TABLE_PENDING: set[str] = set()  # nothing left to move


def test_only_the_store_touches_the_ballots_table():
    found = set()
    for top in ("ballots", "sync", "kiosk"):
        for path in (ROOT / top).rglob("*.py"):
            if BALLOTS_SQL.search(path.read_text(encoding="utf-8")):
                found.add(str(path.relative_to(ROOT)))
    assert "ballots/store.py" in found  # the search really sees SQL
    assert found - BALLOTS_TABLE_OWNERS - BALLOTS_TABLE_PENDING == set()
