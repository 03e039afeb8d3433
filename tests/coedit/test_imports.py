"""The engine stands below every app: it imports only Django, DRF and the standard library."""

import ast
from pathlib import Path

import coedit

APPS = {"alongside", "audit", "circles", "network", "portal", "realtime", "sharing", "changes"}


def test_coedit_imports_no_app():
    found = []
    for path in Path(coedit.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in APPS]
    assert found == []
