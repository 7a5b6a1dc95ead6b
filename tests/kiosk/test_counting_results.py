"""The results screen of the counting window (real widgets, offscreen)."""

from __future__ import annotations

from ballots.ballot import Channel, new_ballot
from ballots.store import Polls
from kiosk.ui.counting.results import ResultsView


def _cast(store, e, chosen, channel=Channel.KIOSK, bid=None):
    if channel is Channel.KIOSK:
        store.register_voter()
    store.cast(new_ballot(e, {"projets": tuple(chosen)}, channel=channel, device="t", ballot_id=bid))


def _cells(table, row):
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_results_screen_shows_channels_winners_budget(qtbot, store, budget_election):
    e = budget_election
    for chosen in (["p01", "p02"], ["p01"], ["p03"]):
        _cast(store, e, chosen)
    _cast(store, e, ["p01", "p03"], Channel.PAPER, "S1")
    store.set_polls(Polls.CLOSED, actor="test")
    view = ResultsView(store)
    qtbot.addWidget(view)
    table = view.tables["projets"]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Rang", "Choix", "Coût", "Borne", "Papier", "Total", "Retenu"]
    first = _cells(table, 0)
    assert first[1] == "Abris à vélos sécurisés à la gare" and first[3:] == ["2", "1", "3", "✔ Retenu"]
    assert table.item(0, 1).font().bold()
    loser = next(r for r in range(table.rowCount()) if table.item(r, 6).text() == "")
    assert not table.item(loser, 1).font().bold()
    turnout = view.tables["turnout"]
    assert _cells(turnout, 0)[:3] == ["Borne", "3", "4"]
    assert _cells(turnout, 1)[:3] == ["Papier", "1", "2"]
    assert _cells(turnout, 2)[:3] == ["Total", "4", "6"]
    bar = view.budget_bars["projets"]
    q = view.results.question("projets")
    assert bar.value() == q.spent and bar.maximum() == 300000 and "Budget utilisé" in bar.format()
    assert "concordant" in view.checks_label.text()


def test_results_hidden_while_polls_open(qtbot, store, budget_election):
    _cast(store, budget_election, ["p01"])
    view = ResultsView(store)
    qtbot.addWidget(view)
    assert view.results is None and not view.tables and not view.report_button.isEnabled()
    store.set_polls(Polls.CLOSED, actor="test")
    view.refresh()
    assert view.results is not None and view.results.voters == 1 and view.report_button.isEnabled()


def test_report_button_writes_pdf_and_csv_off_the_ui_thread(qtbot, store, budget_election, tmp_path):
    _cast(store, budget_election, ["p01"])
    store.set_polls(Polls.CLOSED, actor="test")
    view = ResultsView(store)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.report_written, timeout=30000) as blocker:
        view.write_report(tmp_path / "pv.pdf")
    assert blocker.args == [str(tmp_path / "pv.pdf")]
    assert (tmp_path / "pv.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "pv.csv").exists()
    assert "Procès-verbal écrit" in view.status.text() and view.report_button.isEnabled()
