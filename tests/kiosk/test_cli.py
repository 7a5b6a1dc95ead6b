"""The click command line itself: verbs, the one error line, lazy loading, the demo pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from kiosk import cli
from tests.conftest import ROOT, SAMPLE_BUDGET


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data(tmp_path, runner):
    d = str(tmp_path / "d")
    r = runner.invoke(cli.urne, ["init", "--election", str(SAMPLE_BUDGET), "--data", d])
    assert r.exit_code == 0, r.output
    assert "pas encore de code du personnel" in r.output
    r = runner.invoke(cli.urne, ["polls", "open", "--data", d])
    assert r.exit_code == 2 and "--set-pin" in r.output  # no staff code: the polls stay shut
    from ballots.staff_pin import PinGuard
    from ballots.store import Store

    with Store(d) as s:
        PinGuard(s).set_pin("572946")
    return d


def test_help_lists_every_command_with_its_own_help(runner):
    r = runner.invoke(cli.urne, ["--help"])
    assert r.exit_code == 0
    for name, (_, short) in cli.COMMANDS.items():
        assert f"  {name} " in r.stdout
        command = cli.urne.get_command(click.Context(cli.urne), name)
        assert command is not None and command.name == name
        # The table (shown without importing the commands) says what the command itself says.
        assert (command.help or "").splitlines()[0] == short


def test_every_command_has_help(runner):
    for name in cli.COMMANDS:
        r = runner.invoke(cli.urne, [name, "--help"])
        assert r.exit_code == 0 and "--data" in r.stdout, (name, r.output)


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom kiosk.cli import main\nmain(sys.argv[1:])\n"
        "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT)
    return set(r.stderr.split()[-400:])


def test_help_and_tally_load_only_what_they_need(data):
    heavy = {"PySide6", "cv2", "reportlab", "requests", "cryptography", "flask", "pypdfium2"}
    loaded = _modules_after("--help")
    assert not loaded & (heavy | {"sqlite_utils"}), loaded & (heavy | {"sqlite_utils"})
    loaded = _modules_after("tally", "--data", data)
    assert "sqlite_utils" in loaded  # the walk really saw the store being loaded
    assert not loaded & heavy, loaded & heavy


def test_polls_verbs_and_the_old_state_names(runner, data):
    said = []
    for verb in ("open", "pause", "open", "close"):
        r = runner.invoke(cli.urne, ["polls", verb, "--data", data, "--actor", "Mme Martin"])
        assert r.exit_code == 0, r.output
        said.append(r.stdout.strip())
    assert said == ["le scrutin est ouvert", "le scrutin est suspendu", "le scrutin est ouvert", "le scrutin est clos"]
    r = runner.invoke(cli.urne, ["polls", "open", "--data", data])
    assert r.exit_code == 2 and "--reopen" in r.output  # closed stays closed unless asked
    r = runner.invoke(cli.urne, ["polls", "open", "--reopen", "--data", data])
    assert r.exit_code == 0 and r.stdout.strip() == "le scrutin est ouvert (réouverture consignée au journal)"
    assert "attention" in r.stderr  # the sample's dates are long past (or to come)
    for old, state in (("paused", "suspendu"), ("closed", "clos")):
        r = runner.invoke(cli.urne, ["polls", old, "--data", data])
        assert r.exit_code == 0 and r.stdout.strip() == f"le scrutin est {state}"
    r = runner.invoke(cli.urne, ["status", "--data", data])
    assert "scrutin : le scrutin est clos (closed)" in r.stdout
    r = runner.invoke(cli.urne, ["polls", "--help"])
    assert "paused" not in r.stdout and "pause " in r.stdout  # the aliases work but are not advertised


def test_data_on_the_root_or_on_the_command(runner, data):
    assert "(not_opened)" in runner.invoke(cli.urne, ["--data", data, "status"]).stdout
    assert "(not_opened)" in runner.invoke(cli.urne, ["status", "--data", data]).stdout


@pytest.mark.parametrize(
    "argv, words",
    [
        (["tally", "--jsn"], "option inconnue"),
        (["nope"], "commande inconnue"),
        (["restore", "/nowhere/b.sqlite"], "introuvable"),
        (["print", "--count", "0", "--out", "x.pdf"], "--count"),
        (["status", "--config", "/nowhere/config.toml"], "introuvable"),
        (["device", "enrol", "only-one-argument"], "PUBLIC_KEY"),
        (["export", "--format", "excel", "--out", "x"], "excel"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(runner, tmp_path, argv, words):
    r = runner.invoke(cli.urne, [*argv, "--data", str(tmp_path / "d")])
    assert r.exit_code == 2
    assert r.stderr.startswith("urne: ") and r.stderr.count("\n") == 1 and words in r.stderr, r.stderr
    assert r.stdout == ""


def test_domain_errors_are_one_line_and_exit_2(runner, tmp_path):
    r = runner.invoke(cli.urne, ["tally", "--data", str(tmp_path / "empty")])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "urne init" in r.stderr


def test_conflicts_list_is_the_default_and_resolve_is_a_verb(runner, data):
    alone = runner.invoke(cli.urne, ["conflicts", "--data", data])
    listed = runner.invoke(cli.urne, ["conflicts", "list", "--data", data])
    assert alone.exit_code == listed.exit_code == 0
    assert alone.stdout == listed.stdout == "aucun conflit ouvert\n"
    r = runner.invoke(cli.urne, ["conflicts", "resolve", "no-such-ballot", "--data", data])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1


def test_device_verbs(runner, data):
    r = runner.invoke(cli.urne, ["device", "show", "--data", data])
    assert r.exit_code == 0 and "clé publique : " in r.stdout
    r = runner.invoke(cli.urne, ["device", "list", "--data", data])
    assert r.exit_code == 0
    r = runner.invoke(cli.urne, ["device", "revoke", "nobody", "--data", data])
    assert r.exit_code == 2 and r.stderr.startswith("urne: ")


def test_tally_json_through_the_runner(runner, data):
    r = runner.invoke(cli.urne, ["tally", "--json", "--data", data])
    assert r.exit_code == 2  # polls not opened yet, no partial results: withheld, a code on stdout
    assert json.loads(r.stdout)["error"] == "results_withheld"
    assert runner.invoke(cli.urne, ["polls", "close", "--data", data]).exit_code == 0
    r = runner.invoke(cli.urne, ["tally", "--json", "--data", data])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["election"] == "bp-saint-remy-2026"


def test_export_formats_match_the_exporters():
    from kiosk.commands.platforms import EXPORT_FORMATS
    from sync.exports import FORMATS

    assert EXPORT_FORMATS == FORMATS


def test_demo_is_one_explicit_pipeline():
    from kiosk.commands import app, demo, paper, report, sync

    assert demo.steps() == (paper.demo_step, sync.demo_step, app.demo_step)
    # the report is written by demo.run once the polls are closed (results are shown only then)
    assert report.demo_step not in demo.steps()


def test_version(runner):
    r = runner.invoke(cli.urne, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("urne ")
