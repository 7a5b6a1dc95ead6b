"""The counting window on a laptop's screen: size, keys whatever has the focus, photocopies, counters
that agree, Qt's French, plurals, tab labels, a legible rejected sheet, withheld results.

Real printed ballots scanned at 200 dpi (`tools.counting_screenshots.make_count_folder`), a real
store, real widgets (offscreen).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from ballots import audit
from ballots.ballot import BallotStatus, Channel, new_ballot
from ballots.paper import ids
from ballots.store import Polls
from kiosk.config import Config
from kiosk.ui.counting import common
from kiosk.ui.counting.window import MINIMUM, build_counting_window
from tools.counting_screenshots import make_count_folder

TIMEOUT = 60000
# Screens of town-hall laptops and tablets, less a task bar and the window's title bar.
SCREENS = [(1280, 800 - 70), (1366, 768 - 70)]


@pytest.fixture
def counted(qtbot, store, tmp_path):
    """A window whose scan station has read a folder: one ambiguous ballot, one photocopy, rejected pages."""
    store.set_polls(Polls.CLOSED, actor="test")
    deck = make_count_folder(store, tmp_path / "scans", count=4)
    win = build_counting_window(Config(), store, actor="Mme Martin")
    qtbot.addWidget(win)
    win.scan.workers = 1
    win.scan.add_paths([deck.folder])
    with qtbot.waitSignal(win.scan.batch_finished, timeout=TIMEOUT):
        win.scan.start()
    yield win, deck
    win.scan.shutdown()


def _inside(widget: QWidget, window: QWidget) -> bool:
    """The whole widget is on the window's surface and not cut by a parent (fully visible)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    fits = window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )
    return fits and widget.visibleRegion().boundingRect().size() == widget.size()


def test_window_fits_laptop_screens_and_keeps_its_actions_visible(qtbot, counted):
    win, deck = counted
    assert (win.minimumSize().width(), win.minimumSize().height()) == MINIMUM
    win.show()
    win.show_page(win.review)
    win.review.show_ballot(deck.photocopy)
    for w, h in SCREENS:
        win.resize(w, h)
        qtbot.waitUntil(lambda w=w, h=h: (win.width(), win.height()) == (w, h))
        QApplication.processEvents()
        for view, buttons in (
            (win.review, [win.review.validate_button, win.review.invalid_button, win.review.mark_button]),
            (win.scan, [win.scan.start_button, win.scan.files_button]),
            (win.rejected, [win.rejected.export_button, win.rejected.turn_button]),
            (win.results, [win.results.report_button, win.results.refresh_button]),
        ):
            win.show_page(view)
            QApplication.processEvents()
            for b in buttons:
                assert _inside(b, win), f"{b.text()} cut or off the window at {w}×{h}"
        # the review's sheet image follows the window (it used to fix the window at 1241×860)
        image = win.review.image
        assert image.pixmap().height() <= image.height() and image.pixmap().width() <= image.width()
        assert win.review.minimumSizeHint().height() <= h - win.tabs.tabBar().height()


def test_review_keys_whatever_has_the_focus_and_photocopies(qtbot, counted):
    win, deck = counted
    store, review = win.store, win.review
    win.show()
    win.show_page(review)
    review.show_ballot(deck.photocopy)
    # a photocopy opens on a box where the copies disagree
    assert review.item.differs and review.current_key() in review.item.differs
    # Entrée with no copy chosen counts nothing, even with the copy list focused
    review.copy_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is review.copy_box)
    qtbot.keyClick(review.copy_box, Qt.Key.Key_Return)
    assert store.ballot(ids.for_store(store, deck.photocopy)).status is BallotStatus.REVIEW
    assert not review.validate_button.isEnabled() and "choisissez d'abord la copie" in review.verdict.text()
    # "I" typed while the combo box has the focus declares the ballot nul (it was swallowed before)
    qtbot.keyClick(review.copy_box, Qt.Key.Key_I)
    voided = store.ballot(ids.for_store(store, deck.photocopy))
    assert voided.status is BallotStatus.VOID  # a votant counted in the nuls, not a rejected page
    assert [e.action for e in audit.entries(store.db) if e.actor == "Mme Martin"] == ["ballot.void"]
    # and the keys reach the review from the history list or the window itself too
    review.show_ballot(deck.ambiguous)
    review.history.setFocus()
    qtbot.keyClick(review.history, Qt.Key.Key_M)
    assert review.pending() == []
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert store.ballot(ids.for_store(store, deck.ambiguous)).status is BallotStatus.COUNTED


def test_counters_and_tab_titles_agree(qtbot, counted):
    win, deck = counted
    store = win.store

    def shown() -> tuple[int, int, int]:
        tab = int(win.tabs.tabText(1).split("(")[1].rstrip(")"))
        return tab, int(win.scan.count_labels["review"].text()), win.review.remaining()

    in_review = sum(1 for _ in store.ballots(status=BallotStatus.REVIEW, include_test=True))
    assert in_review >= 2 and shown() == (in_review,) * 3
    win.review.show_ballot(deck.ambiguous)
    win.review.decide_box("marked")
    win.review.validate()
    assert shown() == (in_review - 1,) * 3
    assert win.scan.count_captions["review"].text() == (
        "bulletin à examiner" if in_review - 1 <= 1 else "bulletins à examiner"
    )


def test_rejected_sheet_is_shown_at_a_legible_size(qtbot, counted):
    win, _deck = counted
    rejected = win.rejected
    rejected.reload()
    row = next(i for i, s in enumerate(rejected.sheets) if s.source.endswith("scan-qr-illisible.png"))
    rejected.table.setCurrentCell(row, 0)
    pix = rejected.image.pixmap()
    # an A4 sheet 1000 px across: about 120 px per inch, 10 pt print about 17 px high (was 380 px: 46 per inch)
    assert pix.width() >= 1000 and pix.width() / 8.27 >= 120
    assert pix.height() > pix.width()  # an A4 page, upright
    rejected.turn()  # a quarter turn: the page lies on its side, still 1000 px across
    assert rejected.image.pixmap().width() == 1000 and rejected.image.pixmap().height() < 1000
    rejected.whole_page.setChecked(True)
    assert rejected.image.pixmap().height() <= rejected.image_area.viewport().height()


def test_qt_dialogs_in_french_and_plurals_with_n(qtbot, store):
    build = build_counting_window(Config(), store)
    qtbot.addWidget(build)
    assert any(path.endswith("qtbase_fr.qm") for path in common.install_translations())
    # Qt's own file dialog and buttons (qtbase_fr from PySide6's translations folder)
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Voir dans\u00a0:"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    # plurals through %n: French counts 0 and 1 as one
    assert common.tr_n("%n seconde(s)", 1) == "1 seconde"
    assert common.tr_n("%n seconde(s)", 0) == "0 seconde"
    assert common.tr_n("%n seconde(s)", 2) == "2 secondes"
    assert common.tr_n("%n bulletin(s) à examiner", 0) == "0 bulletin à examiner"
    assert common.tr_n("%n fichier(s) ajouté(s)", 3) == "3 fichiers ajoutés"
    from kiosk.ui.counting.scan_station import _duration

    assert (_duration(1), _duration(61), _duration(125)) == ("1 seconde", "1 minute 1 seconde", "2 minutes 5 secondes")


def _top_ink_row(image, rect) -> int:
    """The first row of `rect` (from the top) holding a dark text pixel."""
    for y in range(rect.top(), rect.bottom()):
        for x in range(rect.left() + 4, rect.right() - 4):
            if QColor(image.pixel(x, y)).lightness() < 90:
                return y
    return rect.bottom()


def test_inactive_tab_keeps_the_accent_of_a_capital(qtbot, store):
    """Regression: the inactive tab "À examiner" was drawn with the grave accent cut off."""
    win = build_counting_window(Config(), store)
    qtbot.addWidget(win)
    win.resize(1280, 730)
    win.show()
    win.tabs.setCurrentIndex(0)
    bar = win.tabs.tabBar()
    rect = bar.tabRect(1)
    win.tabs.setTabText(1, "A examiner (0)")
    plain = _top_ink_row(bar.grab().toImage(), rect)
    win.tabs.setTabText(1, "À examiner (0)")
    accented = _top_ink_row(bar.grab().toImage(), rect)
    assert accented < plain - 1, "the accent adds rows above the capital: it is drawn"
    assert accented > rect.top() + 1, "with room above it: not cut by the tab's edge"


def test_results_withheld_then_shown_on_request_audited(qtbot, store, budget_election):
    store.set_polls(Polls.OPEN, actor="test")
    store.register_voter()
    store.cast(new_ballot(budget_election, {"projets": ("p01",)}, channel=Channel.KIOSK, device="k"))
    win = build_counting_window(Config(), store, actor="Mme Martin")
    qtbot.addWidget(win)
    view = win.results
    assert view.results is None and not view.report_button.isEnabled()
    assert not view.override_button.isHidden()
    qtbot.mouseClick(view.override_button, Qt.MouseButton.LeftButton)
    assert view.results is not None and view.results.voters == 1 and not view.results.final
    assert "Résultats provisoires : le scrutin est ouvert" in view.banner.text()
    assert "consigné au journal d'audit" in view.banner.text()
    overrides = [(e.actor, dict(e.detail)) for e in audit.entries(store.db) if e.action == "results.override"]
    assert overrides == [("Mme Martin", {"what": "counting window", "polls": "open"})]
    view.refresh()  # once per window: refreshing does not log again
    assert len([e for e in audit.entries(store.db) if e.action == "results.override"]) == 1
    store.set_polls(Polls.CLOSED, actor="test")
    view.refresh()
    assert view.results.final and "Résultats définitifs" in view.banner.text()
    assert view.override_button.isHidden()
