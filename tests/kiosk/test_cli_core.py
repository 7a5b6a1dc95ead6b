import json
import subprocess
import sys

import pytest

from kiosk.cli import main
from tests.conftest import ROOT, SAMPLE_BUDGET, SAMPLE_SURVEY


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_tally_json_contract(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "d")
    answers = iter(["572946", "572946"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(capsys, "init", "--election", str(SAMPLE_BUDGET), "--data", data, "--set-pin")[0] == 0
    assert run(capsys, "polls", "open", "--data", data)[0] == 0
    code, out, _ = run(capsys, "demo", "--data", data, "--voters", "12")
    assert code == 0 and "12 votants enregistrés" in out
    code, out, _ = run(capsys, "tally", "--json", "--data", data)
    assert code == 0
    t = json.loads(out)
    q = t["questions"]["projets"]
    assert set(q["votes"]) == {f"p{i:02d}" for i in range(1, 21)}
    # The demo's own 12 voters, plus whatever the other parts' demo steps add.
    assert t["ballots"]["by_channel"]["kiosk"] >= 12
    assert t["ballots"]["counted"] == sum(t["ballots"]["by_channel"].values())
    assert q["winners"]["rule"] == "greedy"
    assert q["winners"]["spent"] <= q["winners"]["budget"] == 300_000
    reg = t["register"]
    assert reg["kiosk_ballots_minus_register"] == t["ballots"]["by_channel"]["kiosk"] - reg["voters"]


def test_bad_election_file_is_one_clear_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(SAMPLE_BUDGET.read_text(encoding="utf-8").replace("cost = 15000", "cost = -5"), encoding="utf-8")
    data = tmp_path / "d"
    code, _, err = run(capsys, "init", "--election", str(bad), "--data", str(data))
    assert code == 2
    assert err.count("\n") == 1 and "« questions[0].choices[2].cost »" in err and "bad.toml, ligne 64 :" in err
    code, _, err = run(capsys, "status", "--data", str(data))
    assert code == 2 and "urne init" in err


@pytest.mark.parametrize("name", ["x.csv", "x.toml"])
def test_missing_or_wrong_kind_of_file(tmp_path, capsys, name):
    code, _, err = run(capsys, "init", "--election", str(tmp_path / name), "--data", str(tmp_path / "d"))
    assert code == 2 and err.startswith("urne: ")


def test_damaged_data_file(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "urne.sqlite").write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "status", "--data", str(d))
    assert code == 2 and "abîmé" in err


def test_backup_restore_and_audit_cli(tmp_path, capsys, monkeypatch):
    data = str(tmp_path / "d")
    answers = iter(["572946", "572946"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run(capsys, "init", "--election", str(SAMPLE_SURVEY), "--data", data, "--set-pin")
    run(capsys, "demo", "--data", data, "--voters", "5")
    assert run(capsys, "backup", str(tmp_path / "b.sqlite"), "--data", data)[0] == 0
    assert run(capsys, "restore", str(tmp_path / "b.sqlite"), "--data", data)[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--data", data)
    assert code == 0 and "intact" in out
    code, out, _ = run(capsys, "restore", str(tmp_path / "nope.sqlite"), "--data", data)
    assert code == 2


def test_console_script_runs(tmp_path):
    """The installed `urne` entry point, as a user runs it."""
    urne = ROOT / ".venv" / "bin" / "urne"
    exe = [str(urne)] if urne.exists() else [sys.executable, "-m", "kiosk.cli"]
    r = subprocess.run([*exe, "--help"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "tally" in r.stdout


def test_the_demo_follows_the_staff_code_rule(tmp_path, capsys, monkeypatch):
    """Regression (issue 12): `urne demo` opened the polls with no staff code, past the rule every
    other front end follows (ballots.polls.change)."""
    import re

    from ballots import audit, staff_pin
    from ballots.store import Polls, Store

    # A folder it sets up itself: it chooses a code, says it, and opens through the rule.
    data = tmp_path / "demo"
    code, out, _ = run(capsys, "demo", "--data", str(data), "--voters", "2")
    assert code == 0
    pin = re.search(r"code du personnel de ce dossier de démonstration : (\d{6})", out).group(1)
    with Store(data) as store:
        assert not staff_pin.weak(pin) and staff_pin.PinGuard(store).attempt(pin).ok
        actions = [e.action for e in audit.entries(store.db) if e.actor == "demo"]
        assert actions.index("kiosk.pin_set") < actions.index("polls.open") < actions.index("polls.closed")

    # A folder that holds an election without a code: refused, one line, nothing written.
    other = tmp_path / "mairie"
    run(capsys, "init", "--election", str(SAMPLE_SURVEY), "--data", str(other))
    code, out, err = run(capsys, "demo", "--data", str(other), "--voters", "2")
    assert code == 2 and "aucun code du personnel" in err and err.count("\n") == 1
    with Store(other) as store:
        assert store.polls() is Polls.NOT_OPENED and store.counts().ballots == 0

    # With its code, but the polls closed: the demo does not reopen them behind anyone's back.
    answers = iter(["572946", "572946"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(capsys, "kiosk", "--set-pin", "--data", str(other))[0] == 0
    assert run(capsys, "polls", "open", "--data", str(other))[0] == 0
    assert run(capsys, "polls", "close", "--data", str(other))[0] == 0
    code, _, err = run(capsys, "demo", "--data", str(other), "--voters", "2")
    assert code == 2 and "--reopen" in err
    with Store(other) as store:
        assert store.polls() is Polls.CLOSED and store.counts().ballots == 0
