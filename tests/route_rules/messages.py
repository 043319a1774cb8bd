"""Routes of the message centre: one's own messages and choices; channels and the send log for admins."""

from tests.route_rules import Rule, logged_in, only


def _message_of_hr_b(world):
    from models import db
    from services.common.i18n import deferred
    from services.messages import inbox

    [message] = inbox.notify([world.hr_b], "test.event", deferred("已导出 %(n)d 条。", n=1),
                             link=inbox.link_to("home.index"))
    db.session.commit()
    return {"message_id": message.id}


RULES = [
    logged_in("messages.index"),
    Rule("messages.open_message", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 302,
                                   "admin": 404, "town_a": 404, "town_b": 404}, url_args=_message_of_hr_b),
    logged_in("messages.read_all", 302, method="POST"),
    logged_in("messages.settings"),
    logged_in("messages.settings", 302, method="POST", data=lambda w: {"email": "", "email_enabled": "y"},
              note="(valid)"),
    only("messages.channel_settings", {"admin": 200}),
    only("messages.channel_settings", {"admin": 200}, method="POST", data=lambda w: {"email-submit": "1"},
         note="(empty e-mail form)"),
    only("messages.channel_delete", {"admin": 302}, method="POST", url_args=lambda w: {"config_id": 99999}),
    only("messages.deliveries", {"admin": 200}),
]
