"""`urne report` and the demo step: real store, real files, real PDF."""

from __future__ import annotations

import pypdfium2 as pdfium

from ballots.ballot import Channel, new_ballot
from ballots.store import Polls, Store
from kiosk import cli
from kiosk import config as config_mod
from kiosk.commands import report as report_cmd
from kiosk.context import Context


def _prepared(tmp_path, budget_election):
    data = tmp_path / "data"
    with Store(data) as s:
        s.install_election(budget_election)
        s.set_polls(Polls.OPEN, actor="test")
        for chosen in (("p01", "p02"), ("p01",), ("p03",)):
            s.register_voter()
            s.cast(new_ballot(budget_election, {"projets": chosen}, channel=Channel.KIOSK, device="k"))
        s.cast(new_ballot(budget_election, {"projets": ("p01",)}, channel=Channel.PAPER, device="s", ballot_id="P1"))
    return data


def test_report_writes_pdf_and_csv(tmp_path, budget_election, capsys):
    data = _prepared(tmp_path, budget_election)
    out, csv = tmp_path / "out" / "pv.pdf", tmp_path / "out" / "pv.csv"
    assert cli.main(["report", "--data", str(data), "--out", str(out), "--csv", str(csv)]) == 0
    said = capsys.readouterr().out
    assert "4 ballots counted" in said and str(out) in said
    pdf = pdfium.PdfDocument(str(out))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "PROCÈS-VERBAL" in text
    rows = csv.read_text(encoding="utf-8-sig").splitlines()
    assert "Borne;3;4" in rows and "Papier;1;1" in rows and "Total;4;5" in rows


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

    assert demo.steps()[-1] is report_cmd.demo_step  # the report comes last: it lists what the others did
    data = _prepared(tmp_path, budget_election)
    ctx = Context(config_mod.Config(), data)
    try:
        report_cmd.demo_step(ctx, 2026)
    finally:
        ctx.close()
    assert f"[demo] report: {data / report_cmd.REPORT_NAME}" in capsys.readouterr().out
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
