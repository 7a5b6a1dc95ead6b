"""A corpus of hostile inputs, generated from a seed: every parser and endpoint of Urne.

Each generator yields (label, input) pairs; `run()` feeds them to the parser and classifies the
outcome: "accepted", "refused" (the parser's named error), "traceback" (any other exception),
"hang" (over the per-case limit). `tests/fuzz/test_fuzz.py` runs a fast subset; `make fuzz`
the long run (URNE_FUZZ_N), writing the figures to `var/fuzz-report.json`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOSTILE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    1e308,
    float("inf"),
    "",
    "x\n",
    "\x00",
    "é" * 300,
    [],
    {},
    [[]],
    {"a": []},
    "nan",
    "inf",
    "1e400",
    "-0",
    "0x10",
    " 1",
    "1_000",
    "9" * 5000,
]
TOML_VALUES = [
    "nan",
    "inf",
    "-inf",
    "1e400",
    "-1",
    "0",
    "9" * 40,
    '"x\\n"',
    '""',
    "[]",
    '["a", "b"]',
    "{}",
    "true",
    '"' + "é" * 5000 + '"',
    "[" * 3000 + "]" * 3000,
    "1979-05-27",
    '"1e400"',
    '"nan"',
    "[1, [2, [3]]]",
]


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise Hang()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    by_parser: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # "parser label: what" for tracebacks and hangs
    refusals: dict[str, list[BaseException]] = field(default_factory=dict)  # what people read, per parser
    seconds: float = 0.0

    def add(self, parser: str, label: str, result: str, detail: str = "") -> None:
        self.counts[result] += 1
        self.by_parser.setdefault(parser, Counter())[result] += 1
        if result in ("traceback", "hang", "changed"):
            self.failures.append(f"{parser} {label}: {result} {detail}"[:300])

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": sum(self.counts.values()),
            "outcomes": dict(self.counts),
            "by_parser": {k: dict(v) for k, v in sorted(self.by_parser.items())},
            "failures": self.failures[:50],
            "seconds": round(self.seconds, 1),
        }


def classify(
    parser: str,
    label: str,
    fn: Callable[[], Any],
    expected: tuple[type[BaseException], ...],
    out: Outcome,
    limit: float = 10.0,
) -> None:
    try:
        with time_limit(limit):
            fn()
        out.add(parser, label, "accepted")
    except Hang:
        out.add(parser, label, "hang")
    except expected as exc:
        out.add(parser, label, "refused")
        kept = out.refusals.setdefault(parser, [])
        if len(kept) < 20_000:
            kept.append(exc)
    except Exception as exc:  # noqa: BLE001 - the point: anything else is a defect
        out.add(parser, label, "traceback", f"{type(exc).__name__}: {exc}"[:200])


# -- text mutations ----------------------------------------------------------------------------


def mutate_text(rng: random.Random, text: str) -> tuple[str, str]:
    kind = rng.choice(["truncate", "flip", "value", "value", "dup", "nest", "lines", "insert"])
    if kind == "truncate":
        cut = rng.randrange(len(text))
        return f"truncate@{cut}", text[:cut]
    if kind == "flip":
        chars = list(text)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(chars))
            chars[i] = rng.choice(["[", "]", "{", "=", '"', "\n", "\x00", ",", "#", "é", "0", "-"])
        return "flip", "".join(chars)
    lines = text.split("\n")
    if kind == "value":
        idx = [i for i, ln in enumerate(lines) if " = " in ln]
        i = rng.choice(idx)
        key = lines[i].split(" = ")[0]
        v = rng.choice(TOML_VALUES)
        lines[i] = f"{key} = {v}"
        return f"value:{key.strip()}={v[:20]}", "\n".join(lines)
    if kind == "dup":
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "dup", "\n".join(lines)
    if kind == "nest":
        return "nest", "x = " + "[" * rng.randint(500, 20000) + "\n" + text
    if kind == "lines":
        rng.shuffle(lines)
        return "shuffle", "\n".join(lines)
    i = rng.randrange(len(lines))
    lines.insert(i, rng.choice(["[[questions]]", "[[questions.choices]]", "questions = 3", "[kiosk]", "[sync]", "= 1"]))
    return "insert", "\n".join(lines)


def election_files(rng: random.Random, n: int, sample: str) -> Iterator[tuple[str, str]]:
    for _ in range(n):
        yield mutate_text(rng, sample)


def config_files(rng: random.Random, n: int, sample: str) -> Iterator[tuple[str, str]]:
    for _ in range(n):
        yield mutate_text(rng, sample)


def pabulib_files(rng: random.Random, n: int, sample: str) -> Iterator[tuple[str, str]]:
    """Cuts at every kind of place (the issue's 1 092 cuts), and numbers nan/inf/1e400."""
    for i in range(n):
        if i % 2 == 0:
            cut = rng.randrange(1, len(sample))
            yield f"cut@{cut}", sample[:cut]
        else:
            lines = sample.split("\n")
            j = rng.randrange(len(lines))
            parts = lines[j].split(";")
            k = rng.randrange(len(parts))
            parts[k] = rng.choice(["nan", "inf", "-inf", "1e400", "-1", "", "9" * 5000, "1.5", "x", "0x1f", "1e2"])
            lines[j] = ";".join(parts)
            yield f"number@{j}:{k}={parts[k][:8]}", "\n".join(lines)


def wire_values(rng: random.Random, good: list[Any]) -> list[Any]:
    rec = list(good)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(rec) + 1)
        if i == len(rec):
            rec.append(rng.choice(HOSTILE_VALUES))
        else:
            rec[i] = rng.choice(HOSTILE_VALUES)
    return rec


def hub_bodies(rng: random.Random, n: int, good: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    for i in range(n):
        kind = i % 6
        if kind == 0:
            body = json.dumps(good).encode()
            cut = rng.randrange(len(body))
            yield f"truncate@{cut}", body[:cut]
        elif kind == 1:
            payload = dict(good)
            key = rng.choice(list(payload))
            payload[key] = rng.choice(HOSTILE_VALUES)
            yield f"field:{key}", json.dumps(payload, allow_nan=True).encode()
        elif kind == 2:
            payload = dict(good)
            payload["ballots"] = [wire_values(rng, b) for b in good["ballots"]]
            yield "records", json.dumps(payload, allow_nan=True).encode()
        elif kind == 3:
            yield "nest", b"[" * rng.randint(1000, 100_000)
        elif kind == 4:
            yield "bytes", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2000)))
        else:
            # Register entries of this election under another device's name (register entries are
            # signed per record): a new fingerprint under a genuine signature, no signature, a
            # made-up one, another origin, or hostile values. None may be stored.
            payload = dict(good)
            signed = rng.choice(good["register"])
            forged = list(signed)
            how = rng.randrange(5)
            if how == 0:
                forged[0] = f"{rng.getrandbits(256):064x}"
            elif how == 1:
                forged = forged[:5]
                forged[0] = f"{rng.getrandbits(256):064x}"
            elif how == 2:
                forged[0], forged[5] = f"{rng.getrandbits(256):064x}", f"{rng.getrandbits(512):0128x}"
            elif how == 3:
                forged[2] = "attest" if forged[2] != "attest" else "identity"
            else:
                forged = wire_values(rng, forged)
            payload["register"] = [forged]
            yield f"register:{how}", json.dumps(payload, allow_nan=True).encode()


def bundle_files(
    rng: random.Random,
    n: int,
    good: bytes,
    sign: Callable[[bytes], bytes],
    header: dict[str, Any],
    content: dict[str, Any],
) -> Iterator[tuple[str, bytes]]:
    """Unsigned damage (cut, flipped, nested, random) and damage signed with an enrolled key."""
    from sync.bundle import MAGIC

    def signed(h: dict[str, Any], body: bytes) -> bytes:
        full = {
            **h,
            "bundle_id": str(uuid.uuid4()),
            "body_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
        hb = json.dumps(full, allow_nan=True).encode()
        part = MAGIC + f"{len(hb):08x}\n".encode() + hb + body
        return part + sign(part)

    for i in range(n):
        kind = i % 7
        if kind == 0:
            cut = rng.randrange(len(good))
            yield f"cut@{cut}", good[:cut]
        elif kind == 1:
            data = bytearray(good)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            yield "flip", bytes(data)
        elif kind == 2:
            yield "nest", MAGIC + b"%08x\n" % 200_000 + b"[" * 200_000
        elif kind == 3:
            yield "random", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000)))
        elif kind == 4:
            h = dict(header)
            key = rng.choice(["seq", "ballots", "register", "election", "device", "election_fingerprint", "version"])
            h[key] = rng.choice(HOSTILE_VALUES)
            yield f"signed-header:{key}", signed(h, gzip.compress(json.dumps(content).encode()))
        elif kind == 5:
            c = {"ballots": [wire_values(rng, b) for b in content["ballots"]], "register": content["register"]}
            yield "signed-records", signed(header, gzip.compress(json.dumps(c, allow_nan=True).encode()))
        else:
            body = rng.choice(
                [
                    b"",
                    b"not gzip",
                    gzip.compress(b"[" * 50_000),
                    gzip.compress(b"{}"),
                    gzip.compress(b'{"ballots": 1, "register": 2}'),
                    gzip.compress(b" " * 5_000_000),
                ]
            )
            yield "signed-body", signed(header, body)


def store_state(store: Any) -> str:
    """What must not change: ballots, register, conflicts (content, not just counts)."""
    h = hashlib.sha256()
    for table in ("ballots", "register", "sync_conflicts"):
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):  # noqa: S608 - fixed names
            h.update(repr(row).encode())
    return h.hexdigest()


def timed(fn: Callable[[], Outcome]) -> Outcome:
    t = time.monotonic()
    out = fn()
    out.seconds = time.monotonic() - t
    return out


def write_report(path: Path, out: Outcome) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out.as_dict(), indent=2))
