"""Uploads: type by content, size limit, stored outside the web root under a random key."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from services.common import uploads
from services.errors import RuleViolation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_accepts_by_content_and_stores_under_random_key(app, world, tmp_path):
    stored = uploads.save_upload(world.worker_a, upload(PNG, "../../etc/照片.png"), allowed=("image", "pdf"))
    assert (stored.kind, stored.content_type, stored.original_name) == ("image", "image/png", "照片.png")
    path = uploads.stored_path(stored)
    assert path.read_bytes() == PNG
    assert stored.storage_key in path.name and "照片" not in str(path)
    assert str(path).startswith(app.config["UPLOAD_FOLDER"])
    other = uploads.save_upload(world.worker_a, upload(PNG, "照片.png"), allowed=("image",))
    assert other.storage_key != stored.storage_key


def test_a_script_renamed_to_pdf_is_refused(world):
    with pytest.raises(RuleViolation, match="不是允许的类型"):
        uploads.save_upload(world.worker_a, upload(b"<script>alert(1)</script>", "report.pdf"), allowed=("pdf",))


def test_a_pdf_where_only_images_are_allowed_is_refused(world):
    with pytest.raises(RuleViolation, match="图片"):
        uploads.save_upload(world.worker_a, upload(PDF, "photo.jpg"), allowed=("image",))


def test_oversized_and_empty_files_are_refused(world):
    with pytest.raises(RuleViolation, match="超过 1 MB"):
        uploads.save_upload(world.worker_a, upload(PDF + b"x" * (1024 * 1024), "big.pdf"), allowed=("pdf",),
                            max_bytes=1024 * 1024)
    with pytest.raises(RuleViolation, match="空的"):
        uploads.save_upload(world.worker_a, upload(b"", "empty.pdf"), allowed=("pdf",))


def test_csv_is_recognised_as_text_only_where_allowed(world):
    data = "工号\nA0001\n".encode("gb18030")
    assert uploads.save_upload(world.hr_a, upload(data, "名单.csv"), allowed=("spreadsheet", "csv")).kind == "csv"
    with pytest.raises(RuleViolation):
        uploads.save_upload(world.hr_a, upload(b"\x00\x01binary", "名单.csv"), allowed=("csv",))


def test_a_held_file_is_checked_kept_for_its_uploader_and_purged_after_a_day(app, world):
    from datetime import timedelta

    from core import clock
    from models import db
    from models.files import StoredFile

    with pytest.raises(RuleViolation) as error:
        uploads.hold_upload(world.worker_a, upload(b"MZ", "tool.exe"), allowed=("image",), field="files")
    assert error.value.field == "files"
    held = uploads.hold_upload(world.worker_a, upload(PNG, "照片.png"), allowed=("image",))
    db.session.rollback()  # a refused request rolls back: the held file is on disk, not in the database
    assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == 0
    assert uploads.held_files(world.worker_a, [held.token, "../x", "0" * 32]) == [held]
    assert uploads.held_files(world.worker_b, [held.token]) == []
    [again] = uploads.held_as_uploads(world.worker_a, [held])
    assert again.filename == "照片.png" and again.read() == PNG
    assert uploads.purge_held(clock.now()) == "0"
    assert uploads.purge_held(clock.now() + timedelta(hours=uploads.HELD_HOURS + 1)) == "2"  # data and meta
    assert uploads.held_files(world.worker_a, [held.token]) == []
