"""Addresses printed or sent outside the platform: certificates' QR codes and verification lines,
links in e-mails and other outbound messages.

Rule: every such address starts with the configured PUBLIC_BASE_URL (e.g. https://jx.example.cn, the
address people reach the platform at, whatever host or proxy served the request that printed it), so a
certificate printed from an internal address or behind a proxy still verifies from a phone; only when
it is unset does it fall back to the host of the current request. PUBLIC_URL, the older name, is
still read.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request


def public_base_url() -> str:
    """The configured public address without a trailing slash, or "" when none is set."""
    base = current_app.config.get("PUBLIC_BASE_URL") or current_app.config.get("PUBLIC_URL") or ""
    return base.strip().rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` with `values` (as url_for takes them): PUBLIC_BASE_URL plus
    the route's path; without it, the current request's host (and script root). "" when neither is
    known (a background job without PUBLIC_BASE_URL): the caller then leaves the link out."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    base = public_base_url()
    if base:
        return base + path
    if has_request_context():
        return request.host_url.rstrip("/") + request.script_root + path
    return ""
