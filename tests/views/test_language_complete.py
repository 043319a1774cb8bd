"""Language is complete in both directions: every page of the route walk, in English and in Chinese.

Every GET route of tests/route_rules is rendered for every persona that may see it (status 200), on
the route walk's world plus the demo data (every state of every part), once in English and once in
Chinese. What people typed (names, titles, notes: the USER_TEXT columns below, and the arguments of
stored messages) is user data and stays as typed, so it is taken out of the page first; then

- the English page must hold no CJK character (system text, labels of platform data, punctuation);
- the Chinese page must hold no English word outside ALLOWED_ENGLISH (brand, formats, units, codes).

Text inside an element marked with another `lang` (the language switcher) is the other language on
purpose, and text marked `translate="no"` is a code (the audit log's action codes and raw details,
verification and transfer codes): both are skipped. The codes the platform draws are letters only here
(`codes_of_letters_only`), so a page that prints one unmarked fails every run, not the odd one.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from models import User, db
from models.mentorship import SYSTEM_REASON_LABELS
from models.proposals import SYSTEM_NOTE_LABELS
from services.accounts import transfers
from services.common import verification
from tests.route_rules import PERSONAS, all_rules

GET_RULES = [rule for rule in all_rules() if rule.method == "GET"]

# Columns whose text a person typed: shown as typed in every language.
USER_TEXT = {
    "user": ("name", "username", "email", "employee_no", "phone"),
    "enterprise": ("name", "credit_code"),
    "competition": ("name", "description", "venue"),
    "competition_item": ("name",),
    "competition_registration": ("reason", "team_name"),
    "competition_certificate": ("revoke_reason",),
    "competition_promotion": ("certificate_no", "issuing_body"),
    "stored_file": ("original_name",),
    "mentor_pair": ("goals", "end_note"),
    "pair_status_change": ("reason",),
    "mentor_checkin": ("taught", "skill_points", "apprentice_note"),
    "mentor_assessment": ("assessor", "notes"),
    "excellent_nomination": ("citation",),
    "objection": ("body", "resolution_note"),
    "workday_override": ("note",),
    "proposal_campaign": ("name", "description"),
    "proposal": ("title", "problem", "solution", "expected_benefit", "screening_note"),
    "proposal_status_change": ("note",),
    "proposal_realised_saving": ("note",),
    "skill_level_change": ("certificate_no", "issuing_body", "note"),
    "title_type": ("description",),  # names: the defaults have labels, see TITLE_LABELS
    "nomination": ("citation", "review_note"),
    "title_award": ("certificate_no", "citation", "revoked_reason"),
    "job": ("result_name",),
    "higher_result": ("contest",),
    "training_programme": ("name", "description"),
    "training_class": ("title", "place", "trainer"),
    "training_enrolment": ("reason",),
    "education_upgrade": ("school",),
    "training_cost": ("note",),
}
# JSON columns holding Deferred texts: their arguments are user data (a name, a title), the text is not.
DEFERRED_JSON = {"message": ("subject", "body"), "job": ("message",)}

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\U00020000-\U0002ffff]+")
# "11/20/26, 9:30 AM" reads as 20 November to some and 11 February to others: English dates are spelled out.
US_SHORT_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b")
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_@./-])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![A-Za-z0-9_@/-]|\.\w)")
# English that belongs in the Chinese UI: the brand, file formats and channels, units and abbreviations.
ALLOWED_ENGLISH = {
    "Jiangxin", "Excel", "PDF", "QR", "WeCom", "CSV", "SMS", "SMTP", "ID", "HR", "Webhook", "URL", "ZIP",
    "PNG", "JPG", "JPEG", "DWG", "DXF", "MB", "KB", "GB", "English", "Aliyun", "API", "Redis",
    "STARTTLS", "AccessKey", "Secret", "IP", "GBK",
}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
URLISH = re.compile(r"\S+@\S+|https?://\S+|\$\{\w+\}|\b[\w-]+\.(?:pdf|xlsx|csv|png|jpg|zip)\b", re.I)


class _VisibleText(HTMLParser):
    """The text a reader sees: element text and visible attributes, minus scripts, styles and other-lang parts."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        skip = (tag in ("script", "style") or attrs.get("translate") == "no"
                or (lang is not None and not lang.startswith(self.page_lang)))
        if not skip and not self._skipping():
            self.chunks.extend(attrs[name] for name in VISIBLE_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.chunks.append(data)


def visible_text(html: str, page_lang: str) -> list[str]:
    parser = _VisibleText(page_lang)
    parser.feed(html)
    return parser.chunks


def _strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings_in(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings_in(item)]
    return []


def user_data() -> list[str]:
    """Every text a person typed, longest first (so a name inside a title goes with the title)."""
    tables = db.metadata.tables
    found: set[str] = set()
    for table_name, columns in USER_TEXT.items():
        table = tables[table_name]
        for column in columns:
            found.update(v for v in db.session.scalars(db.select(table.c[column])) if v)
    for table_name, columns in DEFERRED_JSON.items():
        table = tables[table_name]
        for column in columns:
            for value in db.session.scalars(db.select(table.c[column])):
                if isinstance(value, dict):
                    found.update(_strings_in(value.get("args") or {}))
    import_rows = tables["import_row"]  # cells as read from a file, and in the reasons about them
    for cells, problems in db.session.execute(db.select(import_rows.c["values"], import_rows.c["problems"])):
        for value in [*(cells or {}).values(), *(problems or {}).values()]:
            strings = [value] if isinstance(value, str) else _strings_in((value or {}).get("args") or {})
            found.update(s for s in strings if s)
    found -= set(SYSTEM_NOTE_LABELS) | set(SYSTEM_REASON_LABELS)  # the platform's own notes: shown translated
    pieces = {line.strip() for text in found for line in text.splitlines() if line.strip()}
    return sorted(found | pieces, key=len, reverse=True)


def without_user_data(chunks: list[str], user_strings: list[str]) -> str:
    """The text with every user string taken out, as whole words (a note "ok" leaves "Webhook" alone)."""
    text = "\n".join(" ".join(chunk.split()) for chunk in chunks)
    if not user_strings:
        return text
    pattern = "|".join(re.escape(value) for value in user_strings)
    return re.sub(rf"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])", " ", text)


@pytest.fixture(autouse=True)
def codes_of_letters_only(monkeypatch):
    """Verification and transfer codes drawn from letters only (CI once drew TTKE-FTXA-YRDF, once
    EMDS-FUXE-ZZUP): such a code reads as an English word unless the page marks it translate="no"."""
    def letters_only(alphabet: str, length: int) -> str:
        letters = [char for char in alphabet if char.isalpha()]
        return "".join(secrets.choice(letters) for _ in range(length))

    monkeypatch.setattr(verification, "new_code", lambda: letters_only(verification.ALPHABET,
                                                                      verification.CODE_LENGTH))
    monkeypatch.setattr(transfers, "_new_code", lambda: letters_only(transfers.CODE_ALPHABET,
                                                                    transfers.CODE_LENGTH))


@pytest.fixture
def pages_to_read(app, world):
    """(rule id, personas, url) of every GET page, on the route walk's world plus the demo's every
    state of every part (seeded after the rules' own objects, so lists are full as a reader sees them)."""
    from flask import url_for

    from demo import seed_demo

    pages = []
    for rule in GET_RULES:
        personas = [p for p in PERSONAS if rule.expect[p] == 200]
        if personas:
            url_args = rule.url_args(world)
            with app.test_request_context():
                pages.append((rule.id, personas, url_for(rule.endpoint, **url_args)))
    seed_demo()
    db.session.commit()
    # The growth record joins every part: read it for every person the demo gave a history.
    with app.test_request_context():
        for user_id in db.session.scalars(db.select(User.id).where(User.username.is_not(None))):
            pages.append(("GET titles.growth_record (demo person)", ["admin"],
                          url_for("titles.growth_record", user_id=user_id)))
    return pages


def _render_all(app, login, world, pages_to_read, lang: str):
    """(rule id, persona, visible text chunks) of every GET page that persona may see, in `lang`."""
    pages = []
    for rule_id, personas, url in pages_to_read:
        for persona in personas:
            client = app.test_client()
            client.set_cookie("lang", lang)
            user = world.persona(persona)
            if user is not None:
                login(client, user)
            response = client.get(url)
            assert response.status_code == 200, f"{rule_id} as {persona} in {lang}: {response.status_code}"
            if response.mimetype != "text/html":
                continue
            pages.append((rule_id, persona, visible_text(response.get_data(as_text=True), lang[:2])))
    return pages


def _report(offences: dict) -> str:
    lines = [f"{len(offences)} pieces of text in the wrong language:"]
    for text, where in sorted(offences.items(), key=lambda item: -len(item[1])):
        lines.append(f"  {text!r}  on {len(where)} page(s), e.g. {sorted(where)[:3]}")
    return "\n".join(lines)


def test_english_pages_hold_no_chinese_system_text_nor_ambiguous_dates(app, login, world, pages_to_read):
    pages = _render_all(app, login, world, pages_to_read, "en")
    user_strings = user_data()
    offences = defaultdict(set)
    for rule_id, persona, chunks in pages:
        for line in without_user_data(chunks, user_strings).splitlines():
            if CJK.search(line) or US_SHORT_DATE.search(line):
                offences[line.strip()[:120]].add(f"{rule_id} as {persona}")
    assert len(pages) > 100
    assert not offences, _report(offences)


def test_chinese_pages_hold_no_stray_english(app, login, world, pages_to_read):
    pages = _render_all(app, login, world, pages_to_read, "zh_Hans_CN")
    user_strings = user_data()
    offences = defaultdict(set)
    for rule_id, persona, chunks in pages:
        text = URLISH.sub(" ", without_user_data(chunks, user_strings))
        for word in ENGLISH_WORD.findall(text):
            if word not in ALLOWED_ENGLISH:
                offences[word].add(f"{rule_id} as {persona}")
    assert len(pages) > 100
    assert not offences, _report(offences)


def test_the_checks_can_fail():
    """The detectors find what they look for and skip what they should."""
    html = ('<p title="提示">Hello 开始评审</p><script>var x = "中文";</script>'
            '<button lang="zh-CN">简体中文</button><p>张三</p><td translate="no">note: 开始评审</td>')
    chunks = visible_text(html, "en")
    assert "简体中文" not in " ".join(chunks) and "中文" not in " ".join(chunks) and "note" not in " ".join(chunks)
    assert CJK.search(without_user_data(chunks, ["张三"])) is not None
    assert "张三" not in without_user_data(chunks, ["张三"])
    assert US_SHORT_DATE.search("11/20/26, 12:19 AM") and not US_SHORT_DATE.search("20 Nov 2026, 00:19")
    assert ENGLISH_WORD.findall("状态：first 名次 PDF x，如 auth.login_failed") == ["first", "PDF"]
