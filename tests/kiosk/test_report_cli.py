"""`urne report` and the demo step: real store, real files, real PDF."""

from __future__ import annotations

import pypdfium2 as pdfium

from ballots.ballot import Channel, new_ballot
from ballots.store import Polls, Store
from kiosk import cli
from kiosk import config as config_mod
from kiosk.commands import report as report_cmd
from kiosk.context import Context


def _prepared(tmp_path, budget_election, close=True):
    data = tmp_path / "data"
    with Store(data) as s:
        s.install_election(budget_election)
        s.set_polls(Polls.OPEN, actor="test")
        for chosen in (("p01", "p02"), ("p01",), ("p03",)):
            s.register_voter()
            s.cast(new_ballot(budget_election, {"projets": chosen}, channel=Channel.KIOSK, device="k"))
        s.cast(new_ballot(budget_election, {"projets": ("p01",)}, channel=Channel.PAPER, device="s", ballot_id="P1"))
        if close:
            s.set_polls(Polls.CLOSED, actor="test")
    return data


def test_report_writes_pdf_and_csv(tmp_path, budget_election, capsys):
    data = _prepared(tmp_path, budget_election)
    out, csv = tmp_path / "out" / "pv.pdf", tmp_path / "out" / "pv.csv"
    assert cli.main(["report", "--data", str(data), "--out", str(out), "--csv", str(csv)]) == 0
    said = capsys.readouterr().out
    assert "procès-verbal écrit" in said and "4 votants" in said and str(out) in said
    pdf = pdfium.PdfDocument(str(out))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "PROCÈS-VERBAL" in text
    rows = csv.read_text(encoding="utf-8-sig").splitlines()
    assert "Borne;3;4;0" in rows and "Papier;1;1;0" in rows and "Total;4;5;0" in rows
    assert "Résultats définitifs;oui" in rows


def _audit_actions(data):
    from ballots import audit

    with Store(data) as s:
        return [(e.actor, e.action, dict(e.detail)) for e in audit.entries(s.db)]


def test_results_withheld_while_the_polls_are_open(tmp_path, budget_election, capsys):
    """show_partial_results = false: `urne report` and `urne tally` refuse in one French line (exit 2),
    `--json` gives codes; `--staff-override` shows them, provisional, and is audited."""
    import json

    data = _prepared(tmp_path, budget_election, close=False)
    out = tmp_path / "pv.pdf"
    assert cli.main(["report", "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "résultats non publiés : le scrutin est ouvert" in err and "--staff-override" in err
    assert not out.exists()
    assert cli.main(["tally", "--data", str(data)]) == 2
    said = capsys.readouterr()
    assert said.out == "" and said.err.count("\n") == 1 and "résultats non publiés" in said.err
    assert cli.main(["tally", "--data", str(data), "--json"]) == 2
    refusal = json.loads(capsys.readouterr().out)
    assert (refusal["error"], refusal["reason"], refusal["polls"]) == (
        "results_withheld", "partial_results_not_allowed", "open")  # fmt: skip
    assert not [a for a in _audit_actions(data) if a[1] == "results.override"]

    assert cli.main(["tally", "--data", str(data), "--staff-override", "--actor", "Mme Martin"]) == 0
    said = capsys.readouterr().out
    assert "résultats PROVISOIRES (le scrutin est ouvert)" in said and "dérogation" in said
    assert cli.main(["tally", "--data", str(data), "--json", "--staff-override"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["results"] == {
        "polls": "open", "allowed": False, "final": False, "provisional_because": ["polls_not_closed"]}  # fmt: skip
    assert shown["ballots"]["voters"] == 4 and shown["questions"]["projets"]["votes"]["p01"] == 3
    assert (
        cli.main(["report", "--data", str(data), "--out", str(out), "--staff-override", "--actor", "Mme Martin"]) == 0
    )
    assert "résultats PROVISOIRES écrit" in capsys.readouterr().out
    pdf = pdfium.PdfDocument(str(out))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "RÉSULTATS PROVISOIRES" in text and "Résultats définitifs : non" in text
    overrides = [a for a in _audit_actions(data) if a[1] == "results.override"]
    assert [(a[0], a[2]["what"], a[2]["polls"]) for a in overrides] == [
        ("Mme Martin", "tally", "open"), ("cli", "tally", "open"), ("Mme Martin", "report", "open")]  # fmt: skip


def test_partial_results_allowed_are_provisional(tmp_path, budget_election, capsys):
    import dataclasses
    import json

    data = _prepared(tmp_path, dataclasses.replace(budget_election, show_partial_results=True), close=False)
    assert cli.main(["tally", "--data", str(data), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["results"]["allowed"] and not shown["results"]["final"]
    assert cli.main(["tally", "--data", str(data)]) == 0
    assert "résultats PROVISOIRES (le scrutin est ouvert)" in capsys.readouterr().out
    assert not [a for a in _audit_actions(data) if a[1] == "results.override"]
    with Store(data) as s:
        s.set_polls(Polls.CLOSED, actor="test")
    assert cli.main(["tally", "--data", str(data)]) == 0
    assert "résultats définitifs" in capsys.readouterr().out


def test_report_without_election_is_a_clear_error(tmp_path, capsys):
    code = cli.main(["report", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "pv.pdf")])
    assert code == 2
    assert "urne init" in capsys.readouterr().err
    assert not (tmp_path / "pv.pdf").exists()


def test_report_requires_out(capsys):
    assert cli.main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err


def test_demo_step_writes_the_report(tmp_path, budget_election, capsys):
    from kiosk.commands import demo

    assert report_cmd.demo_step not in demo.steps()  # written after the polls close, by demo.run
    data = _prepared(tmp_path, budget_election)
    ctx = Context(config_mod.Config(), data)
    try:
        report_cmd.demo_step(ctx, 2026)
    finally:
        ctx.close()
    assert f"[demo] procès-verbal : {data / report_cmd.REPORT_NAME}" in capsys.readouterr().out
    assert (data / report_cmd.REPORT_NAME).read_bytes().startswith(b"%PDF")
    assert (data / "proces-verbal.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_count_opens_the_counting_window(qtbot, tmp_path, budget_election, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.counting.window import CountingWindow

    data = _prepared(tmp_path, budget_election)
    shown: list[CountingWindow] = []
    monkeypatch.setattr(
        QApplication,
        "exec",
        lambda self: (
            shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, CountingWindow) and w.isVisible())
            or 0
        ),
    )
    assert cli.main(["count", "--data", str(data), "--actor", "M. Durand"]) == 0
    assert len(shown) == 1
    win = shown[0]
    assert win.actor == "M. Durand" and win.review.actor == "M. Durand"
    assert [win.tabs.tabText(i).split(" (")[0] for i in range(win.tabs.count())] == [
        "Dépouillement",
        "À examiner",
        "Rejetés",
        "Résultats",
    ]
    win.close()


def test_tally_names_a_tie_that_decided_a_winner(tmp_path, budget_election, capsys):
    """The same ties as the procès-verbal: in `urne tally` (words) and `--json` (codes)."""
    import dataclasses
    import json

    q0 = budget_election.questions[0]
    costs = {c.id: c.cost for c in q0.choices}
    budget = costs["p01"] + max(costs["p02"], costs["p03"])  # p01 and only one of p02 / p03
    e = dataclasses.replace(
        budget_election, questions=(dataclasses.replace(q0, rule=dataclasses.replace(q0.rule, budget=budget)),)
    )
    data = tmp_path / "data"
    with Store(data) as s:
        s.install_election(e)
        for i, chosen in enumerate((("p01",), ("p01",), ("p02",), ("p03",))):
            s.cast(new_ballot(e, {"projets": chosen}, channel=Channel.PAPER, device="s", ballot_id=f"P{i}"))
        s.set_polls(Polls.CLOSED, actor="test")
    assert cli.main(["tally", "--data", str(data), "--json"]) == 0
    winners = json.loads(capsys.readouterr().out)["questions"]["projets"]["winners"]
    assert winners["ties"] == [{"choices": ["p02", "p03"], "score": 1, "selected": ["p02"], "rule": "election_order"}]
    assert cli.main(["tally", "--data", str(data)]) == 0
    said = capsys.readouterr().out
    assert "égalité à 1 voix entre" in said and "le projet cité en premier" in said
