"""Logging: one JSON line per request and per unhandled error, on stdout, for a log collector.

Every request gets a request id (the client's `X-Request-ID` when it is a plain token, else a new
one), sent back in the `X-Request-ID` header, shown on the 500 page and written in every log line
of that request, so a user's screenshot of an error page leads to its traceback.

A request line carries: method, route (the URL rule, not the path: ids and phone numbers in paths stay
out of the logs), status, duration_ms, user_id, request_id. An unhandled error is logged by Flask with
its traceback; the formatter adds the request id. Personal data never reaches a log line: mainland
mobile numbers are masked (138****1234) and values of keys naming a password, code or token are
replaced by "***" (`mask`).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid

from flask import Flask, g, has_request_context, request

PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
SECRET_KEYS = re.compile(r"(password|passwd|pwd|code|token|secret)", re.I)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_log = logging.getLogger("jiangxin.request")


def mask(value):
    """A copy of `value` safe to log: phone numbers masked, secrets (by key name) replaced."""
    if isinstance(value, str):
        return PHONE.sub(r"\1****\3", value)
    if isinstance(value, dict):
        return {k: "***" if SECRET_KEYS.search(str(k)) else mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v) for v in value]
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extra fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
        entry.update(mask(getattr(record, "fields", {})))
        if record.exc_info:
            entry["traceback"] = mask("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(entry, ensure_ascii=False, default=str)


def init_logging(app: Flask) -> None:
    """Send the app's and the request logger's records to stdout as JSON; time and id each request."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    level = app.config.get("LOG_LEVEL", "INFO")
    for logger in (app.logger, request_log, logging.getLogger("jiangxin")):
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
        logger.disabled = False

    @app.before_request
    def start_request_clock():
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex[:16]
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        from flask_login import current_user

        started = g.get("request_started")
        if started is None:
            return response
        response.headers["X-Request-ID"] = g.request_id
        request_log.info("request", extra={"fields": {
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": current_user.get_id().split(":")[0] if current_user.is_authenticated else None,
        }})
        return response
