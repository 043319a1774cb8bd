"""Chinese first, English second: the switch is remembered and the English catalog is complete."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


SKIPPED_DIRS = {".venv", "tests", "migrations", "translations", "instance", "static", "node_modules"}


def source_messages() -> set[str]:
    """Every gettext message in the Python code and templates (what `make extract-messages` finds)."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS,
        directory_filter=lambda path: Path(path).name not in SKIPPED_DIRS and not Path(path).name.startswith("."),
    ):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_english_catalog_translates_every_message():
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - translated)
    assert not missing, f"{len(missing)} messages lack an English translation (run `make extract-messages`): " \
                        f"{missing[:20]}"


def test_chinese_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录匠心平台" in html


def test_english_switch_is_remembered(client, login, world):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign in to Jiangxin" in html
    login(client, world.hr_a)
    assert "Workers" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "zh_Hans_CN"})
    assert "登录" in client.get("/login").get_data(as_text=True) or client.get("/").status_code == 200


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


# Calls that pass on a message they were given, not a literal: the app's own gettext wrappers.
WRAPPERS = {("services/common/i18n.py", "gettext"), ("core/templating.py", "gettext")}


def test_every_message_is_a_literal_the_extractor_sees():
    """`make extract-messages` finds _("...") only as a call with a string literal outside f-strings (Python
    3.11's tokenizer reads an f-string as one token): a message passed as a variable, or translated inside
    an f-string, is dropped from the catalog at the next extraction and shows in Chinese in English."""
    import ast

    unseen = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {id(node) for joined in ast.walk(tree) if isinstance(joined, ast.JoinedStr)
                       for node in ast.walk(joined)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
                continue
            literal = bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            wrapper = (relative.as_posix(), node.func.id) in WRAPPERS
            if id(node) in in_fstrings or not (literal or wrapper):
                unseen.append(f"{relative}:{node.lineno} {ast.unparse(node)[:60]}")
    assert not unseen, unseen


def test_lazy_labels_are_the_apps():
    """Every `_l` is core.l10n.lazy_gettext (translated straight from the request's catalog, kept per
    catalog), not flask_babel's (~15 calls through Flask-Babel's domain and `g` on every str(): a list shows
    a lazy label per row). Same text, same LazyString type (tests/views/test_fixed_cost.py)."""
    import ast

    stock = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ImportFrom) and node.module == "flask_babel"
                    and any(alias.name.startswith("lazy_") for alias in node.names)):
                stock.append(f"{relative}:{node.lineno}")
    assert not stock, stock
