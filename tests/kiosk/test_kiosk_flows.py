"""Full voter flows through the real widgets and a real store, one per rule type."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from ballots.ballot import BallotStatus
from ballots.register import Identity
from ballots.store import Polls
from tests.conftest import SAMPLE_SURVEY, SAMPLE_VOTATION
from tests.kiosk.kiosk_support import clock_fixture, kiosk_fixture, small_budget_fixture, tap  # noqa: F401 (fixtures)


def ballots(store):
    return list(store.ballots())


def test_approval_sample_full_question_blocks_and_nothing_is_deselected(qtbot, kiosk):
    w, store = kiosk()
    assert w.current() is w.welcome
    tap(qtbot, w.welcome.vote)
    assert w.current() is w.register_step
    assert not w.register_step.next_button.isEnabled()  # the volunteer must tick all three
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    assert w.current() is w.choosing
    cards = w.choosing.cards
    for cid in ("p01", "p02", "p03", "p04", "p05"):
        tap(qtbot, cards[cid].pick)
    assert w.choosing.feedback.text() == "5 / 5 choisis"
    assert w.choosing.budget_label.text() == "149\u00a0000\u00a0€ / 300\u00a0000\u00a0€"
    assert w.choosing.budget.value() == 149000
    tap(qtbot, cards["p06"].pick)
    assert w.choosing.alert.isVisible()
    assert "C'est le maximum : 5 réponses" in w.choosing.alert.text()
    assert w.session.chosen(w.election.questions[0]) == ("p01", "p02", "p03", "p04", "p05")
    assert cards["p01"].property("chosen") is True and cards["p06"].property("chosen") is False
    # the voter removes one choice and picks another: allowed
    tap(qtbot, cards["p02"].pick)
    tap(qtbot, cards["p06"].pick)
    assert w.session.chosen(w.election.questions[0]) == ("p01", "p03", "p04", "p05", "p06")
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.review
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks
    (b,) = ballots(store)
    assert b.selection == {"projets": ("p01", "p03", "p04", "p05", "p06")}
    assert b.status is BallotStatus.COUNTED
    assert store.counts().register == 1


def test_category_filter_shows_only_that_category(qtbot, kiosk):
    w, _ = kiosk()
    tap(qtbot, w.welcome.vote)
    for t in w.register_step.ticks:
        tap(qtbot, t)
    tap(qtbot, w.register_step.next_button)
    nature = w.choosing.findChild(type(w.choosing.next_button), "filter_Nature")
    tap(qtbot, nature)
    shown = {cid for cid, card in w.choosing.cards.items() if card.isVisible()}
    expected = {c.id for c in w.election.questions[0].choices if c.category == "Nature"}
    assert shown == expected and len(shown) == 5


def test_budget_rule_refuses_over_budget_and_review_requires_min_share(qtbot, kiosk, small_budget):
    w, store = kiosk(small_budget)
    tap(qtbot, w.welcome.vote)  # no register for this election
    assert w.current() is w.choosing
    cards = w.choosing.cards
    tap(qtbot, cards["d"].pick)  # 10 of 100: below the 50 % minimum share
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.review
    assert not w.review.submit_button.isEnabled()
    assert "au moins" in w.review.hints["budget"].text()
    tap(qtbot, w.review.findChild(type(w.review.submit_button), "edit_budget"))
    assert w.current() is w.choosing and w.from_review
    assert w.choosing.next_button.text() == "Revenir au récapitulatif"
    tap(qtbot, cards["a"].pick)  # 70
    tap(qtbot, cards["b"].pick)  # 120 > 100: refused
    assert "trop cher" in w.choosing.alert.text()
    assert w.session.chosen(w.election.questions[0]) == ("d", "a")
    assert w.choosing.budget_label.text() == "70\u00a0€ / 100\u00a0€"
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.review
    # 30 € left and "c" costs 30: the review says one more project still fits
    assert w.review.hints["budget"].text() == "Vous pouvez encore choisir 1 réponse."
    tap(qtbot, w.review.submit_button)
    assert [b.selection for b in ballots(store)] == [{"budget": ("d", "a")}]


def test_questionnaire_with_ranking_review_undervote_and_jump_back(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    assert w.choosing.position.text() == "Question 1 sur 3"
    tap(qtbot, w.choosing.cards["souvent"].pick)
    tap(qtbot, w.choosing.cards["parfois"].pick)  # single: already answered, refused
    assert "Touchez-la pour l'enlever" in w.choosing.alert.text()
    tap(qtbot, w.choosing.next_button)
    assert w.choosing.position.text() == "Question 2 sur 3"
    tap(qtbot, w.choosing.next_button)  # question 2 left blank (min 0)
    assert w.current() is w.ranking
    find = w.ranking.findChild
    button = type(w.ranking.next_button)
    tap(qtbot, find(button, "choose_zone30"))
    tap(qtbot, find(button, "choose_pistes"))
    tap(qtbot, find(button, "choose_ecole"))
    q3 = w.election.questions[2]
    assert w.session.chosen(q3) == ("zone30", "pistes", "ecole")
    tap(qtbot, find(button, "up_pistes"))
    assert w.session.chosen(q3) == ("pistes", "zone30", "ecole")
    tap(qtbot, find(button, "down_zone30"))
    assert w.session.chosen(q3) == ("pistes", "ecole", "zone30")
    # drag "zone30" to the top of the list
    ranked = w.ranking.ranked
    mime = QMimeData()
    mime.setData("application/x-urne-rank", b"zone30")
    drop = QDropEvent(
        QPointF(5, 1), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    ranked.dropEvent(drop)
    assert w.session.chosen(q3) == ("zone30", "pistes", "ecole")
    tap(qtbot, w.ranking.next_button)
    assert w.current() is w.review
    assert w.review.hints["freins"].text() == "Vous n'avez rien choisi ici : ce sera un vote blanc."
    assert w.review.hints["frequence"].isHidden()
    # jump back to question 2 from the review, answer, and come straight back
    tap(qtbot, w.review.findChild(button, "edit_freins"))
    assert w.current() is w.choosing and w.choosing.question.id == "freins"
    tap(qtbot, w.choosing.cards["meteo"].pick)
    tap(qtbot, w.choosing.next_button)
    assert w.current() is w.review
    assert w.review.hints["freins"].text() == "Vous pouvez encore choisir 1 réponse."
    tap(qtbot, w.review.submit_button)
    (b,) = ballots(store)
    assert b.selection == {"frequence": ("souvent",), "freins": ("meteo",), "priorites": ("zone30", "pistes", "ecole")}


def test_single_votation_with_identity_register_and_refusal(qtbot, kiosk):
    w, store = kiosk(SAMPLE_VOTATION)
    alice = Identity("Martin", "Alice", "02/03/1980", "13210")
    store.register_voter(identity=alice)  # she voted on another device (merged by sync)
    tap(qtbot, w.welcome.vote)
    step = w.register_step
    assert w.current() is step and step.identity_box.isVisible()
    # typed on the on-screen keyboard
    step.fields[0].setFocus()
    for ch in "MARTIN":
        tap(qtbot, step.keyboard.findChild(type(step.next_button), f"key_{ch}"))
    assert step.fields[0].text() == "MARTIN"
    for field, value in zip(step.fields[1:], ("alice", "2/3/1980", "13210"), strict=True):
        field.setText(value)
    tap(qtbot, step.next_button)
    assert w.current() is step
    assert "déjà inscrite" in step.alert.text()
    assert store.counts().register == 1
    # a bad postcode is explained, not stored
    step.fields[0].setText("Durand")
    step.fields[3].setText("132")
    tap(qtbot, step.next_button)
    assert "code postal" in step.alert.text()
    step.fields[3].setText("13210")
    tap(qtbot, step.next_button)
    assert w.current() is w.choosing
    assert store.counts().register == 1  # nothing written before the ballot is cast
    tap(qtbot, w.choosing.cards["oui"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks
    assert store.counts().register == 2
    assert store.is_registered(Identity("DURAND", "Alice", "1980-03-02", "13 210"))
    assert [b.selection for b in ballots(store)] == [{"pieton": ("oui",)}]


def test_thanks_only_after_commit_and_settings_reset(qtbot, kiosk):
    w, store = kiosk(SAMPLE_VOTATION.with_name("plan-velo.toml"))
    seen: list[int] = []
    w.cast_done.connect(lambda: seen.append(store.counts().ballots))
    tap(qtbot, w.welcome.language_buttons["en"])
    tap(qtbot, w.welcome.size_buttons[3])
    tap(qtbot, w.welcome.contrast)
    assert w.welcome.vote.text() == "Vote"
    assert w.theme.high_contrast and w.theme.size == 3
    tap(qtbot, w.welcome.vote)
    assert w.choosing.next_button.text() == "Next question"
    for _ in range(2):
        tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.next_button)
    assert w.review.submit_button.text() == "Cast my vote"
    tap(qtbot, w.review.submit_button)
    assert seen == [1]  # the ballot was in the store before the thank-you was shown
    assert w.current() is w.thanks and w.thanks.body.text() == "Your vote is saved."
    assert w.session.selection() == {}
    tap(qtbot, w.thanks.done)
    assert w.current() is w.welcome
    assert w.session.settings.language == "fr" and w.welcome.vote.text() == "Voter"
    assert not w.theme.high_contrast and w.theme.size == 1


def test_choices_are_never_logged(qtbot, kiosk):
    w, store = kiosk(SAMPLE_SURVEY)
    tap(qtbot, w.welcome.vote)
    tap(qtbot, w.choosing.cards["jamais"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.choosing.cards["securite"].pick)
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.ranking.next_button)
    tap(qtbot, w.review.submit_button)
    audit = json.dumps([list(r) for r in store.conn.execute("SELECT * FROM audit").fetchall()])
    meta = json.dumps(store.conn.execute("SELECT * FROM meta").fetchall())
    for choice in ("jamais", "securite"):
        assert choice not in audit and choice not in meta
    assert len(ballots(store)) == 1


def test_polls_paused_hides_vote_and_restart_shows_welcome(qtbot, kiosk, tmp_path):
    w, store = kiosk(polls=Polls.PAUSED, staff_pin="572946")
    assert w.current() is w.welcome
    assert not w.welcome.vote.isVisible()
    assert "pause" in w.welcome.closed.text()
    w.start_vote()
    assert w.current() is w.welcome


def test_welcome_follows_polls_changed_elsewhere(qtbot, kiosk):
    w, store = kiosk(polls=Polls.NOT_OPENED, staff_pin="572946")
    assert not w.welcome.vote.isVisible() and not w.awake.active
    store.set_polls(Polls.OPEN, actor="cli")
    w.polls_timer.setInterval(10)
    qtbot.waitUntil(lambda: w.welcome.vote.isVisible(), timeout=5000)
    assert w.awake.active


def test_budget_with_cents_is_chosen_and_cast(qtbot, kiosk):
    """Regression: a budget with cents (a Decimal, as pabulib elections have) went straight to
    QProgressBar.setRange, which takes an int: the choosing screen raised TypeError."""
    from decimal import Decimal

    from ballots import election_file
    from tests.kiosk.kiosk_support import BUDGET_ELECTION

    text = BUDGET_ELECTION.replace("budget = 100\n", 'budget = "100.50"\n').replace("cost = 60\n", "cost = 60.25\n")
    w, store = kiosk(election_file.parse(text))
    assert w.election.questions[0].rule.budget == Decimal("100.50")
    tap(qtbot, w.welcome.vote)
    assert w.current() is w.choosing
    tap(qtbot, w.choosing.cards["a"].pick)
    tap(qtbot, w.choosing.cards["c"].pick)  # 90.25 of 100.50
    bar = w.choosing.budget
    assert bar.maximum() == 10_000 and bar.value() == int(Decimal("90.25") * 10_000 / Decimal("100.50"))
    tap(qtbot, w.choosing.next_button)
    tap(qtbot, w.review.submit_button)
    assert w.current() is w.thanks
    (b,) = ballots(store)
    assert b.selection == {"budget": ("a", "c")}
