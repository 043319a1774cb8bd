"""Where the seed's manifest lives and how it is read: one JSON file per database, next to it.

SQLite: `bench-manifest-<file stem>.json` beside the database file; PostgreSQL (or anything else):
`bench-manifest-<database name>.json` in the instance folder. The harness reads it to build its URLs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import make_url


def manifest_path(database_url: str, instance_path: str | Path) -> Path:
    """The manifest file of the database at `database_url`."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db_file = Path(url.database)
        return db_file.with_name(f"bench-manifest-{db_file.stem}.json")
    return Path(instance_path) / f"bench-manifest-{url.database or 'memory'}.json"


def read(path: Path) -> dict | None:
    """The manifest at `path`, or None when the database was not seeded (by this machine)."""
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, manifest: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
