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
    assert code == 2 and "damaged" in err


def test_backup_restore_and_audit_cli(tmp_path, capsys):
    data = str(tmp_path / "d")
    run(capsys, "init", "--election", str(SAMPLE_SURVEY), "--data", data)
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
