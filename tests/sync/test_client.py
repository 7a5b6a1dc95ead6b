"""The kiosk side: back-off with jitter, the background loop, the status line."""

from __future__ import annotations

import random
import threading

from sync import client, outbox
from sync.config import SyncConfig
from tests.sync.helpers import vote
from tests.sync.hubproc import free_port


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap():
    b = client.Backoff(base=1.0, cap=8.0, rng=random.Random(1))
    ceilings = [1, 2, 4, 8, 8, 8]
    delays = [b.next_delay() for _ in ceilings]
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    many = [client.Backoff(base=1.0, cap=8.0, rng=random.Random(i)) for i in range(200)]
    fifth = [m.next_delay() for m in many for _ in range(5)][4::5]
    assert max(fifth) > 6 and min(fifth) < 2  # spread out: devices do not retry in lockstep
    b.reset()
    assert b.next_delay() <= 1.0


def test_background_loop_keeps_everything_queued_while_the_hub_is_down(store):
    vote(store, 3, random.Random(1))
    cfg = SyncConfig(hub_url=f"http://127.0.0.1:{free_port()}", token="t", timeout_seconds=0.5)
    stop = threading.Event()
    seen: list[client.SyncStatus] = []

    def on_status(st: client.SyncStatus) -> None:
        seen.append(st)
        if len(seen) >= 3:
            stop.set()

    client.run(store, cfg, stop, backoff=client.Backoff(base=0.01, cap=0.05), on_status=on_status)
    assert len(seen) == 3 and all(s.backlog == 3 and s.last_error == "ConnectionError" for s in seen)
    assert "3 en attente" in seen[-1].line() and "jamais" in seen[-1].line()
    assert outbox.counts(store) == {"pending": 3}


def test_status_without_hub_tells_to_use_usb(store):
    vote(store, 2, random.Random(2))
    assert client.status(store).line() == "pas de hub configuré — 2 à transmettre (clé USB)"
