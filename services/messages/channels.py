"""Outbound channels, each optional and configured by the union administrator: WeCom (企业微信)
group-robot webhooks per enterprise or town (officers' digests), SMTP e-mail, and SMS through a
provider (one that only writes the log, and Aliyun SMS, the common one in China).

Rules:
- Only union administrators configure channels; a channel without configuration sends nothing.
- A webhook is an http(s) URL (WeCom's are https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...).
- Senders raise ChannelError on any failure (refused, timeout, an error code in the answer); the caller
  (services.messages.delivery) records it and retries with backoff. Secrets are never shown back in full.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import smtplib
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, db
from models.messages import CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_WECOM, ChannelConfig
from services import policy
from services.common import audit
from services.common.validators import normalize_credit_code
from services.errors import RuleViolation

log = logging.getLogger("jiangxin.channels")
TIMEOUT_SECONDS = 10
SECRET_FIELDS = ("password", "access_key_secret")
SMS_PROVIDERS = ("log", "aliyun")


class ChannelError(Exception):
    """A send failed; the message says why (kept in the send log)."""


# --- senders --------------------------------------------------------------------------------------


def send_wecom(webhook_url: str, text: str) -> None:
    """Post `text` to a WeCom group robot; its answer must carry errcode 0."""
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}).encode()
    request = urllib.request.Request(webhook_url, data=payload, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (admin-set URL)
            answer = json.loads(response.read() or b"{}")
    except (OSError, ValueError) as error:
        raise ChannelError(f"wecom: {error}") from error
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"wecom: errcode {answer.get('errcode')} {answer.get('errmsg', '')}")


def send_email(settings: dict, to: str, subject: str, text: str) -> None:
    """Send a plain-text e-mail through the configured SMTP server (STARTTLS when `use_tls`)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings["sender"], to, subject
    message.set_content(text)
    try:
        with smtplib.SMTP(settings["host"], int(settings.get("port") or 25), timeout=TIMEOUT_SECONDS) as smtp:
            if settings.get("use_tls"):
                smtp.starttls()
            if settings.get("username"):
                smtp.login(settings["username"], settings.get("password") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise ChannelError(f"smtp: {error}") from error


@dataclass
class SmsProvider:
    """The interface of SMS providers: `send(phone, params)`; `params` fill the provider's template."""

    settings: dict

    def send(self, phone: str, params: dict) -> None:
        raise NotImplementedError


class LoggingSmsProvider(SmsProvider):
    """Writes what it would send to the log (phone masked by the log formatter); for set-up and tests."""

    def send(self, phone: str, params: dict) -> None:
        log.info("sms", extra={"fields": {"phone": phone, "params": params}})


class AliyunSmsProvider(SmsProvider):
    """Aliyun SMS (dysmsapi, SendSms, signature version 1.0 with HMAC-SHA1).

    Settings: access_key_id, access_key_secret, sign_name (签名), template_code (模板), optionally endpoint.
    The template receives {"name": the person's name, "event": what happened}.
    """

    ENDPOINT = "https://dysmsapi.aliyuncs.com/"

    def signed_query(self, phone: str, params: dict, *, nonce: str | None = None, timestamp: str | None = None) -> str:
        query = {
            "AccessKeyId": self.settings["access_key_id"], "Action": "SendSms", "Format": "JSON",
            "PhoneNumbers": phone, "RegionId": "cn-hangzhou", "SignName": self.settings["sign_name"],
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0", "TemplateCode": self.settings["template_code"],
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
        }
        canonical = _canonical(query)
        return f"Signature={_encode(aliyun_signature(query, self.settings['access_key_secret']))}&{canonical}"

    def send(self, phone: str, params: dict) -> None:
        url = (self.settings.get("endpoint") or self.ENDPOINT) + "?" + self.signed_query(phone, params)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as error:
            raise ChannelError(f"aliyun: {error}") from error
        if answer.get("Code") != "OK":
            raise ChannelError(f"aliyun: {answer.get('Code')} {answer.get('Message', '')}")


def _encode(value: str) -> str:
    """Aliyun's percent-encoding: RFC 3986, with space as %20, * as %2A and ~ kept."""
    return urllib.parse.quote(str(value), safe="~")


def _canonical(query: dict) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query.items()))


def aliyun_signature(query: dict, secret: str) -> str:
    """Aliyun RPC signature 1.0: base64(HMAC-SHA1(secret + "&", "GET&%2F&" + encode(canonical query)))."""
    string_to_sign = f"GET&{_encode('/')}&{_encode(_canonical(query))}"
    return base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


def sms_provider(settings: dict) -> SmsProvider:
    """The configured provider: "aliyun" or "log"."""
    return AliyunSmsProvider(settings) if settings.get("provider") == "aliyun" else LoggingSmsProvider(settings)


# --- configuration --------------------------------------------------------------------------------


def city_channel(channel: str) -> ChannelConfig | None:
    """The city-wide configuration of e-mail or SMS, if any (enabled or not)."""
    return db.session.scalar(select(ChannelConfig).where(ChannelConfig.channel == channel,
                                                         ChannelConfig.enterprise_id.is_(None),
                                                         ChannelConfig.town_id.is_(None)))


def enabled_city_channel(channel: str) -> ChannelConfig | None:
    config = city_channel(channel)
    return config if config is not None and config.enabled else None


def wecom_robots() -> list[ChannelConfig]:
    """Every WeCom robot: the city's, per enterprise or per town."""
    return list(db.session.scalars(select(ChannelConfig).where(ChannelConfig.channel == CHANNEL_WECOM)
                                   .order_by(ChannelConfig.id)))


def _check_settings(channel: str, settings: dict) -> dict:
    if channel == CHANNEL_WECOM:
        url = (settings.get("url") or "").strip()
        if urllib.parse.urlsplit(url).scheme not in ("http", "https") or not urllib.parse.urlsplit(url).netloc:
            raise RuleViolation(_l("请填写企业微信群机器人的 Webhook 地址（https://…）。"), field="url")
        return {"url": url}
    if channel == CHANNEL_EMAIL:
        if not (settings.get("host") or "").strip() or "@" not in (settings.get("sender") or ""):
            raise RuleViolation(_l("请填写 SMTP 服务器和发件地址。"), field="host")
        return {k: settings.get(k) for k in ("host", "port", "username", "password", "sender", "use_tls")}
    if settings.get("provider") not in SMS_PROVIDERS:
        raise RuleViolation(_l("请选择短信服务商。"), field="provider")
    if settings["provider"] == "aliyun" and not all(
            settings.get(k) for k in ("access_key_id", "access_key_secret", "sign_name", "template_code")):
        raise RuleViolation(_l("阿里云短信需要 AccessKey、签名和模板编号。"), field="access_key_id")
    return {k: settings.get(k) for k in ("provider", "access_key_id", "access_key_secret", "sign_name",
                                         "template_code", "endpoint")}


def _require_channel_admin(actor) -> None:
    policy.require_admin(actor, _l("只有总工会管理员可以配置通知渠道。"))


def save_channel(actor, channel: str, settings: dict, *, enabled: bool = True, enterprise_id: int | None = None,
                 town_id: int | None = None) -> ChannelConfig:
    """Create or update one channel's configuration (admins only). A secret left blank keeps the stored one.

    `channel`: wecom (with at most one of enterprise_id / town_id; neither: the city's robot, for the
    union administrators' digest), email or sms (city-wide).
    """
    _require_channel_admin(actor)
    if channel == CHANNEL_WECOM and enterprise_id is not None and town_id is not None:
        raise RuleViolation(_l("群机器人只能属于一个企业或一个镇（街道）。"), field="credit_code")
    if channel in (CHANNEL_EMAIL, CHANNEL_SMS):
        enterprise_id = town_id = None
    config = db.session.scalar(select(ChannelConfig).where(
        ChannelConfig.channel == channel, ChannelConfig.enterprise_id.is_(enterprise_id) if enterprise_id is None
        else ChannelConfig.enterprise_id == enterprise_id,
        ChannelConfig.town_id.is_(town_id) if town_id is None else ChannelConfig.town_id == town_id))
    settings = dict(settings)
    for secret in SECRET_FIELDS:
        if secret in settings and not settings[secret] and config is not None and config.settings:
            settings[secret] = config.settings.get(secret)
    clean = _check_settings(channel, settings)
    if config is None:
        config = ChannelConfig(channel=channel, enterprise_id=enterprise_id, town_id=town_id)
        db.session.add(config)
    config.settings, config.enabled, config.updated_at = clean, enabled, clock.now()
    db.session.flush()
    audit.record("channels.configured", actor=actor, obj=config, channel=channel, enabled=enabled)
    return config


def save_robot(actor, url: str, *, credit_code: str | None = None, town_id: int | None = None,
               city: bool = False) -> ChannelConfig:
    """Add (or change) the WeCom robot of one enterprise, named by its credit code, of one town, or (`city`)
    the city union's own group. One of the three is required."""
    _require_channel_admin(actor)
    enterprise_id = None
    if city:
        return save_channel(actor, CHANNEL_WECOM, {"url": url})
    if not (credit_code and credit_code.strip()) and town_id is None:
        raise RuleViolation(_l("请选择这个群机器人所属的企业或镇（街道）。"), field="credit_code")
    if credit_code and credit_code.strip():
        enterprise_id = db.session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == normalize_credit_code(credit_code)))
        if enterprise_id is None:
            raise RuleViolation(_l("找不到这个统一社会信用代码的企业。"), field="credit_code")
        town_id = None
    return save_channel(actor, CHANNEL_WECOM, {"url": url}, enterprise_id=enterprise_id, town_id=town_id)


def delete_channel(actor, config_id: int) -> None:
    """Remove a channel's configuration (admins only)."""
    _require_channel_admin(actor)
    config = db.session.get(ChannelConfig, config_id)
    if config is not None:
        audit.record("channels.removed", actor=actor, obj=config, channel=config.channel)
        db.session.delete(config)
        db.session.flush()


def masked_settings(config: ChannelConfig | None) -> dict:
    """The settings to show back in a form: secrets replaced by "" (a blank keeps the stored one)."""
    if config is None:
        return {}
    return {k: ("" if k in SECRET_FIELDS else v) for k, v in (config.settings or {}).items()}
