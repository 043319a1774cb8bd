"""The administrator's channel page: a WeCom robot for an enterprise, a town or the city itself."""

from __future__ import annotations

from models import db
from models.messages import CHANNEL_WECOM, ChannelConfig

URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=city"


def test_the_admin_adds_the_city_robot_and_sees_it_listed(client, login, world):
    login(client, world.admin)
    response = client.post("/messages/channels", data={"robot-url": URL, "robot-town_id": "0", "robot-submit": "1"})
    assert response.status_code == 302
    [robot] = db.session.scalars(db.select(ChannelConfig).where(ChannelConfig.channel == CHANNEL_WECOM)).all()
    assert robot.enterprise_id is None and robot.town_id is None and robot.settings["url"] == URL
    assert "全市（总工会管理员的群）" in client.get("/messages/channels").get_data(as_text=True)


def test_a_robot_without_an_owner_is_refused_beside_the_field(client, login, world):
    login(client, world.admin)
    page = client.post("/messages/channels", data={"robot-url": URL, "robot-submit": "1"}).get_data(as_text=True)
    assert "请选择这个群机器人所属的企业或镇（街道）。" in page
    assert db.session.scalar(db.select(ChannelConfig.id)) is None


def test_the_admin_adds_a_towns_robot_and_only_admins_may(client, login, world):
    town_id = world.enterprise_a.town_id
    login(client, world.town_a)
    assert client.post("/messages/channels", data={"robot-url": URL, "robot-town_id": str(town_id),
                                                   "robot-submit": "1"}).status_code in (403, 404)
    assert db.session.scalar(db.select(ChannelConfig.id)) is None
    login(client, world.admin)
    response = client.post("/messages/channels", data={"robot-url": URL, "robot-town_id": str(town_id),
                                                       "robot-submit": "1"})
    assert response.status_code == 302
    [robot] = db.session.scalars(db.select(ChannelConfig).where(ChannelConfig.channel == CHANNEL_WECOM)).all()
    assert robot.town_id == town_id and robot.enterprise_id is None
    assert str(world.enterprise_a.town.label) in client.get("/messages/channels").get_data(as_text=True)
