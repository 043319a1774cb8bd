"""The shape of the code, checked: layers point one way, each refusal lives in one place, files stay
small enough to read, no module reaches into another's private names (docs/domain.md; README, "Map of
the code")."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRORS = {"RuleViolation", "NotAllowed", "NotFound", "DomainError", "DuplicateRegistration"}
MAX_LINES = 400


def python_files(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def imports_of(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_models_import_nothing_from_services_or_blueprints():
    offenders = [(path.name, module) for path in python_files("models", "core")
                 for module, _names in imports_of(path) if module.split(".")[0] in {"services", "blueprints", "demo"}]
    assert offenders == []


def test_services_import_no_blueprint_and_no_demo():
    offenders = [(str(path.relative_to(ROOT)), module) for path in python_files("services")
                 for module, _names in imports_of(path) if module.split(".")[0] in {"blueprints", "demo", "app"}]
    assert offenders == []


def test_no_module_imports_a_private_name_of_another():
    ours = {"services", "blueprints", "models", "demo", "core"}
    offenders = [(str(path.relative_to(ROOT)), module, name)
                 for path in python_files(*ours, "tests")
                 for module, names in imports_of(path) for name in names
                 if name.startswith("_") and module.split(".")[0] in ours]
    assert offenders == []


def test_no_file_in_services_or_blueprints_is_over_400_lines():
    long = [(str(path.relative_to(ROOT)), n) for path in python_files("services", "blueprints")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def _message_of(call: ast.Call) -> str | None:
    """The literal message of `RuleViolation(_l("..."))` / `NotFound("...")`, if literal."""
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Call) and first.args and isinstance(first.args[0], ast.Constant):
        first = first.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value else None


def refusal_sites() -> dict[str, set[str]]:
    """Each literal refusal message -> the service functions that raise it."""
    sites: dict[str, set[str]] = defaultdict(set)
    for path in python_files("services"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS
                        and (message := _message_of(node))):
                    sites[message].add(f"{path.relative_to(ROOT)}:{function.name}")
    return sites


def test_each_refusal_message_is_raised_in_one_service_function():
    repeated = {message: sorted(where) for message, where in refusal_sites().items() if len(where) > 1}
    assert repeated == {}


def test_no_view_catches_domain_errors_itself():
    offenders = []
    for path in python_files("blueprints"):
        if path.name == "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                if names & ERRORS:
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
