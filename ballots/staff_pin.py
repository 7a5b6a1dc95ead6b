"""The staff PIN: a 6-digit code kept as a salted scrypt hash in the store, with a lockout.

Contract: after 5 wrong codes in a row a wait of 15 s, doubled at each further wrong code and
capped at MAX_WAIT (15 min: a passer-by cannot lengthen it further); after 15 wrong codes the
kiosk is locked until someone with the machine runs `urne kiosk --set-pin` (from a text console
or SSH: no power cut), which also clears a wait or a lock on a kiosk that is running (the guard
re-reads the failure count from the store; the PIN pad looks again every second).
Recovery on the tablet itself (no keyboard, no console): each time a staff code is set, a
12-digit recovery code is drawn (`secrets`) and shown ONCE, for the staff envelope: printed by
`urne init/kiosk --set-pin`, or on the pad after choosing a code there. It is kept only as a
salted scrypt hash, like the PIN. On a locked or waiting pad, "Code de secours" takes the 12 digits,
then a new staff code twice: `recover()` sets the new code, clears the lockout and replaces the
recovery code in one transaction (the used one no longer works: it is one-time). Wrong recovery
codes count as wrong PINs do: after RECOVERY_FREE_TRIES of them, a wait of 15 s doubled at each
further one, capped at 15 min. Recovery is never closed (a passer-by who burns tries must not take
the staff's way out) and never fast: at most ~100 guesses a day among 10^12 codes. Every use and
refusal is in the audit log, never the code.
Weak codes (one digit repeated, a run like 123456 or 654321, 2 or 3 digits repeated) are refused.
The failure count lives in the store (a restart does not reset it); the wait is measured with an
injectable monotonic clock, so tests never sleep. The PIN itself is never stored or logged.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from ballots import secret_hash
from ballots.errors import UrneError
from ballots.store import Store

PIN_KEY = "kiosk:staff_pin"
FAILURES_KEY = "kiosk:staff_pin_failures"
PIN_LENGTH = 6
FREE_TRIES = 5
FIRST_WAIT = 15.0
MAX_WAIT = 15 * 60.0
LOCK_AFTER = 15
RECOVERY_KEY = "kiosk:staff_recovery"
RECOVERY_FAILURES_KEY = "kiosk:staff_recovery_failures"
RECOVERY_LENGTH = 12
RECOVERY_FREE_TRIES = 3  # typos: a 12-digit code is copied from paper


@dataclass
class BadPin(UrneError):
    problem: str

    def message(self) -> str:
        return self.problem


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    return secret_hash.hash_secret(pin, salt)


def verify_pin(pin: str, stored: str) -> bool:
    return secret_hash.verify(pin, stored)


def valid_format(pin: str) -> bool:
    return len(pin) == PIN_LENGTH and pin.isdigit()


def weak(pin: str) -> bool:
    """Codes anyone tries first: 111111, 123456, 654321, 121212, 123123, 012345..."""
    if not valid_format(pin):
        return False
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(steps) == 1 and steps <= {-1, 0, 1} or pin[:2] * 3 == pin or pin[:3] * 2 == pin:
        return True
    # 112233, 111222, 123321: pairs, halves and mirrors of the codes above; and the keypad's shapes.
    return (
        (pin[0::2] == pin[1::2] and weak(pin[0::2] * 2))
        or (pin[:3] == pin[0] * 3 and pin[3:] == pin[3] * 3)
        or pin[:3] == pin[:2:-1]
        or pin in COMMON
    )


# Codes that lists of leaked PINs put near the top and the rules above do not catch.
COMMON = frozenset({"159753", "147258", "258369", "102030", "147852", "789456", "246810", "135790"})


def new_recovery_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECOVERY_LENGTH))


def spaced(code: str) -> str:
    """'482109375521' -> '4821 0937 5521': read aloud and copied by groups of four."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


class RecoveryRefused(UrneError):
    """The recovery code given to `recover()` is not the stored one (or none is stored)."""

    def message(self) -> str:
        return "code de secours refusé"


def is_set(store: Store) -> bool:
    """Whether a staff code exists (the polls cannot open before: `ballots.polls`)."""
    return store.get_meta(PIN_KEY) is not None


def wait_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong codes in a row (0 before the fifth)."""
    if failures < FREE_TRIES:
        return 0.0
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), MAX_WAIT)


def _recovery_wait_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong recovery codes (the PIN's schedule, fewer free tries)."""
    return wait_after(failures - RECOVERY_FREE_TRIES + FREE_TRIES) if failures >= RECOVERY_FREE_TRIES else 0.0


@dataclass(frozen=True)
class Attempt:
    ok: bool
    failures: int
    wait: float  # seconds before the next try is accepted
    locked: bool


class PinGuard:
    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.clock = clock
        self._not_before = 0.0
        self._recovery_not_before = 0.0
        # A restart during a wait starts the wait again: pulling the plug must not skip it.
        if wait_after(self.failures):
            self._not_before = self.clock() + wait_after(self.failures)
        if _recovery_wait_after(self.recovery_failures):
            self._recovery_not_before = self.clock() + _recovery_wait_after(self.recovery_failures)

    @property
    def is_set(self) -> bool:
        return is_set(self.store)

    @property
    def failures(self) -> int:
        return int(self.store.get_meta(FAILURES_KEY, "0") or 0)

    @property
    def locked(self) -> bool:
        return self.failures >= LOCK_AFTER

    def seconds_to_wait(self) -> float:
        if self._not_before and self.failures < FREE_TRIES:
            self._not_before = 0.0  # cleared by `urne kiosk --set-pin` while the kiosk runs
        return max(0.0, self._not_before - self.clock())

    def set_pin(self, pin: str, *, actor: str = "staff") -> str:
        """Store a new staff code; returns the new recovery code, to be shown once."""
        code = self._replace(pin)
        self.store.log(actor, "kiosk.pin_set", {})
        return code

    def _replace(self, pin: str) -> str:
        if not valid_format(pin):
            raise BadPin(f"le code du personnel doit avoir {PIN_LENGTH} chiffres")
        if weak(pin):
            raise BadPin("code trop facile à deviner (chiffres répétés ou qui se suivent) : choisissez-en un autre")
        code = new_recovery_code()
        # The new code, a cleared failure count and a new recovery code together: a crash never
        # leaves one without the others.
        self.store.set_metas(
            {PIN_KEY: hash_pin(pin), FAILURES_KEY: "0", RECOVERY_KEY: hash_pin(code), RECOVERY_FAILURES_KEY: "0"}
        )
        self._not_before = self._recovery_not_before = 0.0
        return code

    # -- recovery on the pad -----------------------------------------------------------------------

    @property
    def has_recovery(self) -> bool:
        """Whether a recovery code is stored (codes set before recovery existed have none)."""
        return self.store.get_meta(RECOVERY_KEY) is not None

    @property
    def recovery_failures(self) -> int:
        return int(self.store.get_meta(RECOVERY_FAILURES_KEY, "0") or 0)

    def recovery_wait(self) -> float:
        """Seconds before the next recovery code is looked at."""
        if self._recovery_not_before and not self.recovery_failures:
            self._recovery_not_before = 0.0  # a new code was set meanwhile
        return max(0.0, self._recovery_not_before - self.clock())

    def check_recovery(self, code: str) -> bool:
        """Whether `code` is the recovery code; a wrong one counts (and is logged) and may start a
        wait; a right one is not used up: `recover()` with the new staff code does that. Refused
        without looking while waiting."""
        stored = self.store.get_meta(RECOVERY_KEY)
        if stored is None or self.recovery_wait() > 0:
            return False
        if len(code) == RECOVERY_LENGTH and code.isdigit() and verify_pin(code, stored):
            return True
        failures = self.recovery_failures + 1
        self.store.set_meta(RECOVERY_FAILURES_KEY, str(failures))
        wait = _recovery_wait_after(failures)
        self._recovery_not_before = self.clock() + wait
        self.store.log("kiosk", "kiosk.recovery_refused", {"failures": failures, "wait_s": wait})
        return False

    def recover(self, code: str, pin: str) -> str:
        """Unlock with the recovery code: the new staff code `pin` replaces the old one, the lockout
        is cleared and a new recovery code (returned, to be shown once) replaces the used one."""
        stored = self.store.get_meta(RECOVERY_KEY)
        if stored is None or not verify_pin(code, stored):
            raise RecoveryRefused()
        new_code = self._replace(pin)
        self.store.log("staff", "kiosk.recovered", {})
        return new_code

    def attempt(self, pin: str) -> Attempt:
        """Check a code. Refused without checking while waiting or locked."""
        failures = self.failures
        if failures >= LOCK_AFTER:
            return Attempt(False, failures, 0.0, True)
        if self.seconds_to_wait() > 0:
            return Attempt(False, failures, self.seconds_to_wait(), False)
        stored = self.store.get_meta(PIN_KEY)
        if stored is not None and verify_pin(pin, stored):
            if failures:
                self.store.set_meta(FAILURES_KEY, "0")
            self.store.log("staff", "kiosk.unlock", {})
            return Attempt(True, 0, 0.0, False)
        failures += 1
        self.store.set_meta(FAILURES_KEY, str(failures))
        wait = wait_after(failures)
        self._not_before = self.clock() + wait
        locked = failures >= LOCK_AFTER
        if wait or locked:
            self.store.log("kiosk", "kiosk.pin_lockout", {"failures": failures, "wait_s": wait, "locked": locked})
        return Attempt(False, failures, 0.0 if locked else wait, locked)
