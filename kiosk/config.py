"""`config.toml` parsed once into a typed, checked object; errors name the key.

The front ends own their settings: the kiosk's and the paper station's are here, what crosses a
machine boundary (hub, Purpoz) is in `sync.config`, parsed by the same rules.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ballots.errors import ConfigError
from sync.config import HubConfig, PurpozConfig, SyncConfig, section

DEFAULT_PATH = Path("config.toml")


@dataclass(frozen=True)
class KioskConfig:
    screen_dpi: float = 96.0  # reported DPI is unreliable: the town sets it per device
    idle_seconds: int = 120  # on a choice screen, before "Êtes-vous toujours là ?"
    idle_warning_seconds: int = 30
    thanks_seconds: int = 5
    fullscreen: bool = True
    language: str = "fr"
    staff_idle_seconds: int = 1800
    speech_rate: int = 150  # audio ballot: words per minute (90-300); each voter can change it
    speech_volume: float = 0.8  # audio ballot: 0.1-1.0 of the headphones' level
    scan_seconds: float = 2.0  # automatic scanning (one switch): time on each action


@dataclass(frozen=True)
class PaperConfig:
    page_size: str = "A4"  # or "letter"
    scan_dpi: int = 200


@dataclass(frozen=True)
class Config:
    data_dir: Path = Path("var/data")
    election_file: Path = Path("assets/elections/budget-participatif.toml")
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    paper: PaperConfig = field(default_factory=PaperConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    hub: HubConfig = field(default_factory=HubConfig)
    purpoz: PurpozConfig = field(default_factory=PurpozConfig)


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Read `path` (default ./config.toml); a missing default file gives the built-in defaults."""
    p = Path(path) if path else DEFAULT_PATH
    if not p.exists():
        if path:
            raise ConfigError(str(p), "-", "file not found")
        return Config()
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), "-", f"not valid TOML ({exc})") from exc
    known = {"data_dir", "election_file", "kiosk", "paper", "sync", "hub", "purpoz"}
    for key in raw:
        if key not in known:
            raise ConfigError(str(p), key, "unknown key")
    for key in ("data_dir", "election_file"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(str(p), key, "must be a path string")
    kiosk = section(str(p), raw, "kiosk", KioskConfig)
    if kiosk.screen_dpi <= 0:
        raise ConfigError(str(p), "kiosk.screen_dpi", "must be positive")
    paper = section(str(p), raw, "paper", PaperConfig)
    if paper.page_size not in ("A4", "letter"):
        raise ConfigError(str(p), "paper.page_size", "must be 'A4' or 'letter'")
    return Config(
        data_dir=Path(raw.get("data_dir", Config.data_dir)),
        election_file=Path(raw.get("election_file", Config.election_file)),
        kiosk=kiosk,
        paper=paper,
        sync=section(str(p), raw, "sync", SyncConfig),
        hub=section(str(p), raw, "hub", HubConfig),
        purpoz=section(str(p), raw, "purpoz", PurpozConfig),
    )
