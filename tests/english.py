"""Finding English in what Urne says to people (issue 12: one language on the command line).

`english_words(message)` returns the English words of a French message, leaving out what the
message quotes from a file or names as a code: « … », '…', "…", […], {…}, `…`, a command
line (urne polls open --reopen), and any text the caller names (a path). The list holds words that are not also French ("on", "a", "an", "date",
"table", "type", "signature", "content", "large", "votes" are left out), so a French sentence gives nothing and a left-over English one
("must be int, not str", "the file is cut short") is caught by its first common word.
"""

from __future__ import annotations

import re

ENGLISH = frozenset(
    [
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "must",
        "should",
        "cannot",
        "can",
        "not",
        "no",
        "yes",
        "file",
        "files",
        "key",
        "keys",
        "found",
        "required",
        "between",
        "and",
        "of",
        "to",
        "only",
        "read",
        "valid",
        "invalid",
        "unknown",
        "longer",
        "than",
        "more",
        "has",
        "have",
        "needs",
        "need",
        "at",
        "least",
        "most",
        "one",
        "two",
        "used",
        "twice",
        "such",
        "refused",
        "bytes",
        "header",
        "does",
        "do",
        "did",
        "match",
        "matches",
        "device",
        "devices",
        "election",
        "elections",
        "differs",
        "differ",
        "from",
        "here",
        "older",
        "newer",
        "already",
        "imported",
        "copy",
        "again",
        "wrong",
        "incomplete",
        "damaged",
        "unexpected",
        "after",
        "before",
        "cut",
        "short",
        "this",
        "that",
        "these",
        "with",
        "for",
        "number",
        "numbers",
        "string",
        "strings",
        "path",
        "text",
        "amount",
        "platform",
        "expected",
        "missing",
        "characters",
        "languages",
        "language",
        "it",
        "its",
        "into",
        "which",
        "where",
        "when",
        "what",
        "there",
        "empty",
        "error",
        "failed",
        "unreadable",
        "nested",
        "deeply",
        "too",
        "larger",
        "value",
        "values",
        "allowed",
        "ballots",
        "register",
        "polls",
        "open",
        "closed",
        "line",
        "column",
        "end",
        "enrolled",
        "enrolment",
        "revoked",
        "replayed",
        "truncated",
        "tampered",
        "malformed",
        "inflates",
        "beyond",
        "announces",
        "announced",
        "signed",
        "checksum",
        "modified",
        "records",
        "record",
        "lists",
        "says",
        "run",
        "install",
        "please",
        "by",
    ]
)

# A single quote opens a quotation only after a space (not the apostrophe of "l'appareil").
_QUOTED = re.compile(r"«[^»]*»|(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|\[[^\]]*\]|\{[^}]*\}|`[^`]*`")
# A command line people type ('urne polls open --reopen', urne kiosk --set-pin): its words are the CLI's.
_COMMAND = re.compile(r"\burne(?:\s+--?[a-z][\w-]*|\s+[a-z][\w-]*|\s+[A-Z]+)+")
_OPTION = re.compile(r"--[a-z][\w-]*")  # an option named in a sentence: --imported, --force
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ]+")
# An identifier, a hash, a number (att-0be1d8ff, dev-38e9…): never prose, though its letters may
# spell a word ("be" in a random hex id made this check fail at random).
_TOKEN_WITH_DIGITS = re.compile(r"[\w-]*\d[\w-]*")


def english_words(message: str, *names: str) -> list[str]:
    for name in names:
        if name:
            message = message.replace(name, " ")
    message = _OPTION.sub(" ", _COMMAND.sub(" ", _QUOTED.sub(" ", message)))
    message = _TOKEN_WITH_DIGITS.sub(" ", message)
    return [w for w in _WORD.findall(message) if w.lower() in ENGLISH]
