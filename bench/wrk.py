"""HTTP for the harness: logging in over the real form, one probing request (status, redirect, the
X-Query-Count header, time), and wrk runs with their output parsed. Standard library only."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

USER_AGENT = "jiangxin-bench"  # the same for the login, the probe and wrk (the session remembers it)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(jar=None):
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    opener = urllib.request.build_opener(*handlers)
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener


def login(base: str, identifier: str, password: str) -> str:
    """Log in through GET /login (CSRF token) and POST /login; returns the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    page = opener.open(f"{base}/login", timeout=60).read().decode("utf-8")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode({"identifier": identifier, "password": password, "next": "",
                                   "csrf_token": token.group(1)}).encode()
    try:
        opener.open(f"{base}/login", data=form, timeout=60)
        raise RuntimeError(f"login as {identifier} did not redirect (wrong password or rate limit?)")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise RuntimeError(f"login as {identifier} answered {answer.code}") from None
    return "; ".join(f"{c.name}={c.value}" for c in jar)


@dataclass
class Probe:
    status: int
    location: str
    queries: int | None
    seconds: float


def probe(url: str, cookie: str | None, timeout: float = 900) -> Probe:
    """One request without following redirects."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.monotonic()
    try:
        response = _opener().open(request, timeout=timeout)
        response.read()
    except urllib.error.HTTPError as error:
        response = error
        response.read()
    seconds = time.monotonic() - started
    count = response.headers.get("X-Query-Count")
    return Probe(response.status if hasattr(response, "status") else response.code,
                 response.headers.get("Location", ""), int(count) if count else None, seconds)


@dataclass
class Result:
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    bad: int  # non-2xx/3xx answers and socket errors (timeouts included)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> Result:
    """Requests/sec, the 50% and 99% latencies (ms) and the error counts of `wrk --latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    bad = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        bad += sum(int(n) for n in sockets.groups())
    return Result(float(rps.group(1)) if rps else 0.0, _ms(p50.group(1)) if p50 else None,
                  _ms(p99.group(1)) if p99 else None, int(total.group(1)) if total else 0, bad)


def run_wrk(url: str, cookie: str | None, seconds: int, connections: int = 8, threads: int = 2,
            timeout: int = 30) -> Result:
    """`wrk -t -c -d --latency` against `url` with the session cookie."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", f"--timeout={timeout}s",
               "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse(output)
