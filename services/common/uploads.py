"""Safe file uploads.

Rules: the type is decided by the file's content (magic bytes), not its name or the browser's
content type, and must be one the caller allows; the size is limited (default 10 MB; the whole
request is also capped by MAX_CONTENT_LENGTH); the file is stored outside the web root under a
random key, never under the name the user gave; the original name is kept (sanitised) only for
display and download. A form refused for another field holds its checked files for the next sending
(hold_upload / held_files / held_as_uploads / release_held), so nobody chooses a file twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from core.l10n import lazy_gettext as _l
from models import db
from models.files import StoredFile
from services.errors import RuleViolation
from services.jobs.scheduler import periodic

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

KIND_LABELS = {
    "image": _l("图片（JPG/PNG）"),
    "pdf": _l("PDF 文档"),
    "drawing": _l("CAD 图纸（DWG）"),
    "spreadsheet": _l("Excel 表格（xlsx）"),
    "xls": _l("Excel 97-2003 表格（xls）"),
    "csv": _l("CSV 文本"),
}


def sniff_kind(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) from the first bytes of a file, or None when not recognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png"
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head[:4] == b"AC10" and head[4:6].isdigit():
        return "drawing", "application/acad"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003 (and WPS) .xls
        return "xls", "application/vnd.ms-excel"
    if head.startswith(b"PK\x03\x04"):
        return "spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def clean_filename(name: str | None) -> str:
    """Keep a readable display name (Chinese allowed) without paths or control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip()[:200] or "file"


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def chosen_files(files, *, field: str = "attachments") -> list:
    """The files the user actually chose (empty file inputs dropped) of a list of werkzeug FileStorage;
    RuleViolation on `field` when there is none."""
    chosen = [f for f in files or [] if f is not None and getattr(f, "filename", "")]
    if not chosen:
        raise RuleViolation(_l("请选择要上传的文件。"), field=field)
    return chosen


def _checked(file_storage, *, allowed: tuple[str, ...], field: str, max_bytes: int) -> tuple[bytes, str, str, str]:
    """The file's bytes, clean name, kind and content type once it passed every check (chosen, not too
    large, not empty, of an allowed kind by its content); RuleViolation on `field` otherwise."""
    chosen_files([file_storage], field=field)
    data = file_storage.read(max_bytes + 1)
    name = clean_filename(file_storage.filename)
    if len(data) > max_bytes:
        raise RuleViolation(
            _l("文件“%(name)s”超过 %(mb)d MB 的上限。", name=name, mb=max_bytes // (1024 * 1024)), field=field
        )
    if not data:
        raise RuleViolation(_l("文件“%(name)s”是空的。", name=name), field=field)
    sniffed = sniff_kind(data[:16])
    if sniffed is None and "csv" in allowed and _looks_like_text(data):
        sniffed = ("csv", "text/csv")
    allowed_labels = "、".join(str(KIND_LABELS[k]) for k in allowed)
    if sniffed is None or sniffed[0] not in allowed:
        raise RuleViolation(
            _l("文件“%(name)s”的内容不是允许的类型（%(kinds)s）。", name=name, kinds=allowed_labels), field=field
        )
    return data, name, sniffed[0], sniffed[1]


def save_upload(uploader, file_storage, *, allowed: tuple[str, ...], field: str = "attachments",
                max_bytes: int = DEFAULT_MAX_BYTES) -> StoredFile:
    """Check and store one uploaded file (werkzeug FileStorage); returns the StoredFile (flushed)."""
    data, name, kind, content_type = _checked(file_storage, allowed=allowed, field=field, max_bytes=max_bytes)
    key = secrets.token_hex(16)
    path = upload_root() / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stored = StoredFile(
        storage_key=key, original_name=name, kind=kind, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=getattr(uploader, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


# --- Files of a refused form, held for its next sending ----------------------------------------------------
# A form refused for another field (a missing title, the savings calculator pressed without JavaScript)
# must not make the user choose the files again: each chosen file is checked like any upload and held on
# disk (not in the database, so the request's rollback keeps it) under a random token that the form sends
# back in a hidden field. Only the person who uploaded it can use or see a token; held files are removed
# once saved, dropped by the user, or after HELD_HOURS.

HELD_HOURS = 24
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class HeldFile:
    """A file held for a form's next sending: its token (the form's hidden value), name and size."""

    token: str
    name: str
    size: int


def _held_dir() -> Path:
    return upload_root() / "held"


def hold_upload(uploader, file_storage, *, allowed: tuple[str, ...], field: str = "attachments",
                max_bytes: int = DEFAULT_MAX_BYTES) -> HeldFile:
    """Check one chosen file like `save_upload` (RuleViolation on `field`) and hold it for the form's
    next sending; returns its HeldFile. Nothing is written to the database."""
    data, name, _kind, _content_type = _checked(file_storage, allowed=allowed, field=field, max_bytes=max_bytes)
    token = secrets.token_hex(16)
    folder = _held_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"name": name, "uploader_id": getattr(uploader, "id", None)}))
    return HeldFile(token, name, len(data))


def held_files(uploader, tokens) -> list[HeldFile]:
    """The files held for `uploader` under `tokens` (unknown, expired or another person's tokens are
    left out), in the order given, each once."""
    found: list[HeldFile] = []
    for token in dict.fromkeys(t.strip() for t in tokens or [] if t):
        if not _TOKEN.match(token):
            continue
        meta_path, data_path = _held_dir() / f"{token}.json", _held_dir() / token
        try:
            meta = json.loads(meta_path.read_text())
            size = data_path.stat().st_size
        except (OSError, ValueError):
            continue
        if meta.get("uploader_id") == getattr(uploader, "id", None):
            found.append(HeldFile(token, meta["name"], size))
    return found


def held_as_uploads(uploader, held: list[HeldFile]) -> list[FileStorage]:
    """The held files as uploaded files (werkzeug FileStorage), for the service that saves the form:
    it checks and stores them like files chosen in this request."""
    return [FileStorage(io.BytesIO((_held_dir() / h.token).read_bytes()), filename=h.name)
            for h in held_files(uploader, [h.token for h in held])]


def release_held(held: list[HeldFile]) -> None:
    """Forget held files (saved by now, or dropped by the user)."""
    for h in held:
        for path in (_held_dir() / h.token, _held_dir() / f"{h.token}.json"):
            path.unlink(missing_ok=True)


@periodic("uploads.purge_held", every=timedelta(hours=1))
def purge_held(now) -> str:
    """Remove files held longer than HELD_HOURS (forms never sent again)."""
    folder = _held_dir()
    if not folder.exists():
        return "0"
    cutoff = now.timestamp() - HELD_HOURS * 3600
    removed = 0
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return str(removed)


def stored_path(stored: StoredFile) -> Path:
    return upload_root() / stored.storage_key[:2] / stored.storage_key
