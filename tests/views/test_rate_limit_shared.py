"""Login limits are shared between app servers through Redis (RATELIMIT_STORAGE_URI).

Two separate processes ("app servers") use the same Redis: failures counted by the first lock the
account on the second. Skipped when no Redis answers at 127.0.0.1:6379.
"""

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
REDIS_URI = os.environ.get("TEST_REDIS_URI", "redis://127.0.0.1:6379/15")

SERVER = """
import json, sys
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "s", "WTF_CSRF_ENABLED": False,
                  "RATELIMIT_STORAGE_URI": sys.argv[2], "RATELIMIT_KEY_PREFIX": sys.argv[3],
                  "UPLOAD_FOLDER": sys.argv[6]})
client = app.test_client()
codes = [client.post("/login", data={"identifier": sys.argv[4], "password": sys.argv[5]}).status_code
         for _ in range(int(sys.argv[7]))]
print(json.dumps(codes))
"""


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def run_server(app, prefix, identifier, password, attempts, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVER, app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URI, prefix, identifier,
         password, str(tmp_path), str(attempts)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")
def test_failures_on_one_server_lock_the_account_on_another(app, world, tmp_path):
    prefix = f"jx-test-{uuid.uuid4().hex}"
    first = run_server(app, prefix, world.hr_a.username, "wrong-password", 5, tmp_path)
    assert first == [200] * 5
    second = run_server(app, prefix, world.hr_a.username, PASSWORD, 1, tmp_path)
    assert second == [429]
    unaffected = run_server(app, prefix, world.hr_b.username, PASSWORD, 1, tmp_path)
    assert unaffected == [302]
