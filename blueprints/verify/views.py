"""`/verify`: anyone types (or a QR code carries) a verification code or a printed certificate number and
learns whether the certificate is valid, revoked (with the date) or unknown. Rate-limited per client IP
like the login (VERIFY_LIMIT_PER_IP), so codes cannot be guessed by trying."""

from __future__ import annotations

from flask import current_app, render_template, request

from blueprints.access import public
from blueprints.verify import bp
from extensions import limiter
from services.common import verification


@bp.route("")
@public
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT_PER_IP"])
def check():
    code = request.args.get("code", "")[:verification.MAX_INPUT + 1]
    verdict = verification.verify(code) if code.strip() else None
    return render_template("verify/index.html", code=code.strip(), verdict=verdict,
                           max_length=verification.MAX_INPUT)
