"""`urne kiosk`: refuses clearly without a screen or an election; --set-pin stores a hash."""

from __future__ import annotations

from ballots import election_file
from ballots.staff_pin import PinGuard
from ballots.store import Store
from kiosk.cli import main
from tests.conftest import SAMPLE_BUDGET


def test_kiosk_without_display_says_so(tmp_path, monkeypatch, capsys):
    with Store(tmp_path / "d") as s:
        s.install_election(election_file.load(SAMPLE_BUDGET))
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert main(["kiosk", "--data", str(tmp_path / "d")]) == 2
    assert "aucun écran trouvé" in capsys.readouterr().err


def test_kiosk_without_election_points_to_init(tmp_path, capsys):
    assert main(["kiosk", "--data", str(tmp_path / "empty")]) == 2
    assert "urne init" in capsys.readouterr().err


def test_set_pin_from_the_terminal(tmp_path, monkeypatch, capsys):
    with Store(tmp_path / "d") as s:
        s.install_election(election_file.load(SAMPLE_BUDGET))
    answers = iter(["482913", "482913"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["kiosk", "--set-pin", "--data", str(tmp_path / "d")]) == 0
    with Store(tmp_path / "d") as s:
        assert PinGuard(s).attempt("482913").ok
    answers = iter(["111111", "222222"])
    assert main(["kiosk", "--set-pin", "--data", str(tmp_path / "d")]) == 2
    assert "différents" in capsys.readouterr().err
