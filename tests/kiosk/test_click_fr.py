"""click's own messages in French: every id still exists in the installed click, and the
command line shows no English of click's."""

from __future__ import annotations

import importlib
import inspect

import pytest
from click.testing import CliRunner

from kiosk import cli, click_fr


def _click_sources() -> str:
    return "\n".join(inspect.getsource(importlib.import_module(f"click.{m}")) for m in click_fr.MODULES)


def _literal(message: str) -> str:
    # How the id is written in click's source (its newlines and tabs as escapes).
    return message.replace("\n", "\\n").replace("\t", "\\t")


def test_every_translated_message_id_is_one_click_uses():
    # An upgrade of click that rewords a message must fail here, not let English back in.
    sources = _click_sources()
    ids = list(click_fr.MESSAGES) + [i for pair in click_fr.PLURALS for i in pair]
    missing = [m for m in ids if f'"{_literal(m)}"' not in sources]
    assert missing == []


def test_placeholders_are_kept():
    # click calls .format(**its names) on our text: a lost or invented placeholder would raise.
    import string

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for en, fr in click_fr.MESSAGES.items():
        assert names(fr) <= names(en), (en, fr)
    for (en1, en2), (fr1, fr2) in click_fr.PLURALS.items():
        assert names(fr1) <= names(en1) | names(en2) and names(fr2) <= names(en1) | names(en2)


def test_french_plurals_count_zero_and_one_as_singular():
    s, p = next(iter(click_fr.PLURALS))
    assert click_fr.ngettext(s, p, 0) == click_fr.ngettext(s, p, 1) != click_fr.ngettext(s, p, 2)


@pytest.mark.parametrize(
    "argv, french",
    [
        (["--help"], "Utilisation : urne"),
        (["tally", "--help"], "Afficher cette aide et quitter."),
        (["tally", "--jsn"], "option inconnue '--jsn'"),
        (["tallly"], "commande inconnue 'tallly'"),
        (["print", "--count", "abc"], "n'est pas un nombre valide"),
        (["polls", "open", "extra"], "argument en trop"),
    ],
)
def test_the_command_line_shows_none_of_clicks_english(argv, french):
    r = CliRunner().invoke(cli.urne, argv)
    out = r.stdout + r.stderr
    assert french in out, out
    for english in ("Usage:", "Show this message", "No such", "is not a valid", "unexpected extra", "Try '"):
        assert english not in out, out
