"""The sync commands as a town hall uses them (in-process `urne` calls on real data dirs)."""

from __future__ import annotations

import json
import random
import re

import pytest

from ballots.staff_pin import PinGuard
from ballots.store import Store
from kiosk.cli import main
from sync import hubstore
from tests.conftest import SAMPLE_BUDGET
from tests.sync.fake_capcollectif import SCHEMA_FILE, FakePlatform, Served
from tests.sync.helpers import vote


def urne(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_two_kiosks_to_the_town_hall_by_usb(tmp_path, capsys):
    key = tmp_path / "key.hex"
    key.write_text("ab" * 32)
    dirs = {n: str(tmp_path / n) for n in ("k1", "k2", "mairie")}
    for d in dirs.values():
        assert urne(capsys, "init", "--data", d, "--election", str(SAMPLE_BUDGET), "--key", str(key))[0] == 0
    for n in ("k1", "k2"):
        with Store(dirs[n]) as s:
            PinGuard(s).set_pin("572946")  # the polls open only once a staff code exists
        assert urne(capsys, "polls", "open", "--data", dirs[n])[0] == 0
        with Store(dirs[n]) as s:
            vote(s, 15, random.Random(n))
        _, out, _ = urne(capsys, "device", "show", "--data", dirs[n])
        device = re.search(r"appareil : (\S+)", out).group(1)
        pub = re.search(r"clé publique : (\S+)", out).group(1)
        code, out, _ = urne(capsys, "device", "enrol", device, pub, "--name", n, "--data", dirs["mairie"])
        assert code == 0 and "jeton du hub" in out
        assert urne(capsys, "bundle", "export", str(tmp_path / f"{n}.urne"), "--data", dirs[n])[0] == 0
    code, out, err = urne(
        capsys, "bundle", "import", str(tmp_path / "k1.urne"), str(tmp_path / "k2.urne"), "--data", dirs["mairie"]
    )
    assert code == 0 and "désormais 30 bulletins comptés" in out
    code, out, _ = urne(capsys, "bundle", "import", str(tmp_path / "k1.urne"), "--data", dirs["mairie"])
    assert "déjà importé" in out and "désormais 30 bulletins" in out
    (tmp_path / "bad.urne").write_bytes((tmp_path / "k1.urne").read_bytes()[:-10])
    code, out, err = urne(
        capsys, "bundle", "import", str(tmp_path / "bad.urne"), str(tmp_path / "k2.urne"), "--data", dirs["mairie"]
    )
    assert code == 2 and "lot refusé : le fichier est coupé" in err and "déjà importé" in out  # the batch goes on
    # People read French; scripts read the codes, the same as before the words were French.
    code, out, err = urne(
        capsys,
        "bundle",
        "import",
        "--json",
        str(tmp_path / "bad.urne"),
        str(tmp_path / "k2.urne"),
        "--data",
        dirs["mairie"],
    )
    bad, k2 = (json.loads(line) for line in out.splitlines())
    assert code == 2 and (bad["status"], bad["reason"], bad["refusal"]) == ("refused", "truncated", "cut_short")
    assert bad["message"].startswith("le fichier est coupé") and "lot refusé" in err
    assert k2["status"] == "already_imported" and k2["merged"]["ballots_new"] == 0
    code, out, _ = urne(capsys, "device", "list", "--data", dirs["mairie"])
    assert out.count("de confiance") == 2
    code, out, _ = urne(capsys, "sync", "--data", dirs["k1"])
    assert code == 0 and "pas de hub" in out
    code, _, err = urne(
        capsys, "export", "--format", "pabulib", "--out", str(tmp_path / "all.pb"), "--data", dirs["mairie"]
    )
    # exports are results: withheld while the polls are not closed (ballots.publication)
    assert code == 2 and "résultats non publiés" in err and not (tmp_path / "all.pb").exists()
    assert urne(capsys, "polls", "close", "--data", dirs["mairie"])[0] == 0
    code, out, err = urne(
        capsys, "export", "--format", "decidim", "--out", str(tmp_path / "d.csv"), "--data", dirs["mairie"]
    )
    # the sample election maps no choice to Decidim's numeric ids: refused, naming them, nothing written
    assert code == 2 and "20 choix sans identifiant Decidim : p01" in err and not (tmp_path / "d.csv").exists()
    code, out, _ = urne(
        capsys, "export", "--format", "pabulib", "--out", str(tmp_path / "all.pb"), "--data", dirs["mairie"]
    )
    assert code == 0 and (tmp_path / "all.pb").exists()
    code, out, _ = urne(capsys, "conflicts", "--data", dirs["mairie"])
    assert "aucun conflit ouvert" in out


@pytest.mark.skipif(not SCHEMA_FILE.exists(), reason="shared Cap Collectif schema not available")
def test_purpoz_pull_then_push(tmp_path, capsys, monkeypatch):
    p = FakePlatform()
    p.add_proposals(4)
    served = Served(p)
    try:
        cfg = tmp_path / "config.toml"
        cfg.write_text(
            f'[purpoz]\nbase_url = "{served.url}"\nusername = "{p.username}"\nstep_id = "{p.step_id}"\npassword_env = "TEST_PZ"\n'
        )
        monkeypatch.setenv("TEST_PZ", p.password)
        data = str(tmp_path / "d")
        out_file = tmp_path / "bp.toml"
        code, out, err = urne(
            capsys, "purpoz", "pull", "--out", str(out_file), "--install", "--config", str(cfg), "--data", data
        )
        assert code == 0, err
        assert "4 propositions" in out and out_file.exists()
        with Store(data) as s:
            from ballots.ballot import Channel, new_ballot

            e = s.election()
            for sel in (("3-1", "3-2"), ("3-2",)):
                s.cast(new_ballot(e, {"propositions": sel}, channel=Channel.PAPER, device="scan"), require_open=False)
        # Totals are results: withheld until the polls close (ballots.publication), even for a dry run.
        code, _, err = urne(capsys, "purpoz", "push", "--dry-run", "--config", str(cfg), "--data", data)
        assert code == 2 and "résultats non publiés" in err and p.paper == {}
        with Store(data) as s:
            from ballots.store import Polls

            s.set_polls(Polls.CLOSED, actor="test")
        code, out, _ = urne(capsys, "purpoz", "push", "--dry-run", "--config", str(cfg), "--data", data)
        assert code == 0 and "enverrait 3-2" in out and p.paper == {}
        # Only the hub speaks to the platform: this data dir is not the hub's.
        code, _, err = urne(capsys, "purpoz", "push", "--config", str(cfg), "--data", data)
        assert code == 2 and "pas le dossier de données du hub" in err and "--force" in err and p.paper == {}
        with Store(data) as s:
            hubstore.mark_hub(s)  # what 'urne hub' does to its data dir
        code, out, _ = urne(capsys, "purpoz", "push", "--config", str(cfg), "--data", data)
        assert code == 0 and "4 appels, un par proposition" in out
        assert p.calls["UrneUpdatePaperVotes"] == 4
        monkeypatch.setenv("TEST_PZ", "wrong")
        code, _, err = urne(capsys, "purpoz", "push", "--config", str(cfg), "--data", data)
        assert code == 2 and "connexion : refusée" in err
    finally:
        served.close()
