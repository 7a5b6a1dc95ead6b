"""`urne register interrupted list|undo` (issue 17): a visit a kill cut between the register
commit and the ballot commit is counted for staff and taken back, audited, naming nobody."""

from __future__ import annotations

import dataclasses
import json

from click.testing import CliRunner

from ballots import election_file
from ballots.casting import cast_vote
from ballots.election import RegisterMode
from ballots.register import Identity
from ballots.store import Polls, Store
from kiosk import cli
from tests.conftest import SAMPLE_BUDGET

ALICE = Identity("Martin", "Alice", "01/02/1970", "13210")


def _store(path, mode: RegisterMode) -> Store:
    store = Store(path)
    store.install_election(dataclasses.replace(election_file.load(SAMPLE_BUDGET), register=mode))
    store.set_polls(Polls.OPEN, actor="test")
    return store


def _run(*argv: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli.urne, list(argv))
    return r.exit_code, r.output


def test_identity_mode_lists_and_undoes_the_interrupted_visit(tmp_path):
    d = tmp_path / "d"
    with _store(d, RegisterMode.IDENTITY) as s:
        cast_vote(s, s.election(), {"projets": ("p01",)}, identity=Identity("Durand", "Paul", "01/02/1970", "13210"))
        s.register_voter(identity=ALICE, origin=s.device)  # the kill came before her ballot
    code, out = _run("register", "interrupted", "list", "--data", str(d), "--json")
    assert code == 0 and json.loads(out)["interrupted"] == 1
    code, out = _run("register", "interrupted", "list", "--data", str(d))
    assert "visites interrompues sur cet appareil : 1" in out and "--last-name" in out
    # No identity given: a usage error; someone else's identity: nothing taken back.
    code, out = _run("register", "interrupted", "undo", "--data", str(d))
    assert code == 2 and "--last-name" in out
    who = ["--last-name", "Dupont", "--first-name", "Jean", "--birth", "01/01/1960", "--postcode", "13210"]
    code, out = _run("register", "interrupted", "undo", "--data", str(d), *who)
    assert code == 1 and "pas d'inscription ici" in out
    alice = ["--last-name", "MARTIN", "--first-name", "alice", "--birth", "1970-02-01", "--postcode", "13 210"]
    code, out = _run("register", "interrupted", "undo", "--data", str(d), "--actor", "marie", *alice)
    assert code == 0 and "inscription annulée" in out, out
    with Store(d) as s:
        assert s.counts().register == 1
        last = s.conn.execute("SELECT actor, action, detail FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        assert last[:2] == ("marie", "register.undo") and "interrupted_visit" in last[2]
        assert "Martin" not in last[2] and "MARTIN" not in last[2]  # the log names nobody
        cast_vote(s, s.election(), {"projets": ("p02",)}, identity=ALICE)  # she votes again
    code, out = _run("register", "interrupted", "undo", "--data", str(d), "--json", *alice)
    assert code == 1 and json.loads(out) == {"result": "none_interrupted", "interrupted": 0}


def test_attest_mode_takes_back_one_attestation(tmp_path):
    d = tmp_path / "d"
    with _store(d, RegisterMode.ATTEST) as s:
        cast_vote(s, s.election(), {"projets": ("p01",)}, attested=True)
        s.register_voter(origin=s.device)  # the kill came before this voter's ballot
    code, out = _run("register", "interrupted", "undo", "--data", str(d), "--json")
    assert code == 0 and json.loads(out) == {"result": "undone", "interrupted": 0}
    with Store(d) as s:
        assert s.counts().register == 1
