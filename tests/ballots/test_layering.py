"""ballots/ is the domain: no Qt, no network, no app layers."""

import ast
from pathlib import Path

FORBIDDEN = {"PySide6", "requests", "sync", "kiosk", "urllib3", "http", "socket", "cv2_qt"}


def test_ballots_imports_no_qt_network_or_app_layer():
    root = Path(__file__).resolve().parents[2] / "ballots"
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(root.parent)}: {name}")
    assert offenders == []
    assert len(list(root.rglob("*.py"))) > 5  # the walk really saw the package
