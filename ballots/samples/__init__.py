"""The sample elections shipped with Urne, found through the installed package.

`path(name)` gives the election file of a sample ("budget-participatif", "votation",
"plan-velo") wherever Urne is installed (a checkout, a wheel in a town hall's venv), so
`urne init` with no election file works from any folder. `DEFAULT` is the one `urne init` and
`urne demo` install when neither the command line nor config.toml names another.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT = "budget-participatif"


def names() -> tuple[str, ...]:
    return tuple(
        sorted(f.name.removesuffix(".toml") for f in resources.files(__name__).iterdir() if f.name.endswith(".toml"))
    )


def path(name: str = DEFAULT) -> Path:
    """The sample's file on disk (packages are installed as folders: no temporary copy needed)."""
    return Path(str(resources.files(__name__) / f"{name}.toml"))
