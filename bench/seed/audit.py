"""The audit log at the city's scale: 1.5 million rows over two years, newest last, in the mix of
actions a busy year leaves (logins, marks, status changes, registrations, check-ins...), each naming
a real actor and object of the generated data where the action has one."""

from __future__ import annotations

from datetime import timedelta

from bench.seed.context import Context
from models import AuditLog

ROWS = 1_500_000
# action -> (weight, kind of object it names, detail maker)
ACTIONS = {
    "auth.login": (34, "user", lambda r: {}),
    "proposals.mark": (20, "proposal",
                       lambda r: {"criterion_id": r.randint(1, 4), "old": None, "new": r.randint(3, 10)}),
    "proposals.status": (11, "proposal", lambda r: {"old": "submitted", "new": "valid", "reason": None, "note": None}),
    "competition.practical_mark": (10, "registration",
                                   lambda r: {"item_id": r.randint(1, 4), "old": None,
                                              "new": f"{r.uniform(50, 99):.2f}"}),
    "competition.registered": (7, "registration", lambda r: {"status": "confirmed", "number": r.randint(1, 999)}),
    "proposals.marks_submitted": (4, "proposal", lambda r: {"total": f"{r.uniform(50, 95):.2f}"}),
    "proposals.judge_assigned": (4, "proposal", lambda r: {"judge_id": r.randint(1, 1000)}),
    "proposals.score": (2, "proposal", lambda r: {"old": None, "new": f"{r.uniform(50, 95):.2f}"}),
    "account.created": (2, "user", lambda r: {"roles": ["worker"]}),
    "auth.login_failed": (1.5, "user", lambda r: {"identifier": "1390000" + f"{r.randint(0, 9999):04d}"}),
    "mentorship.checkin_recorded": (1.5, "mentor_pair", lambda r: {"hours": f"{r.randint(4, 40)}.0"}),
    "skill_level.changed": (1, "user", lambda r: {"old": 2, "new": 3, "reason": "certificate"}),
    "competition.theory_mark": (1, "registration", lambda r: {"old": None, "new": f"{r.uniform(40, 99):.2f}"}),
    "mentorship.checkin_answered": (1, "mentor_pair", lambda r: {"old": "pending", "new": "confirmed", "note": ""}),
}
TABLES = {"user": "user", "proposal": "proposal", "registration": "competition_registration",
          "mentor_pair": "mentor_pair"}


def generate(ctx: Context) -> None:
    """Audit rows, oldest first (ids grow with time as in real use)."""
    rng = ctx.rng
    count = ctx.n(ROWS, 1000)
    names = list(ACTIONS)
    weights = [ACTIONS[name][0] for name in names]
    start = ctx.now - timedelta(days=730)
    step = (ctx.now - timedelta(hours=1) - start) / count
    actors = [p.id for p in ctx.participants()]
    judges = [p.id for p in ctx.judges]
    chosen = rng.choices(names, weights, k=count)
    ips = [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(5000)]
    rows = (_row(ctx, rng, name, start + step * i, actors, judges, ips) for i, name in enumerate(chosen))
    ctx.writer.insert(AuditLog.__table__, rows)
    ctx.manifest["audit_action"] = "proposals.score"
    ctx.manifest["counts"]["audit_rows"] = count


def _row(ctx: Context, rng, action: str, at, actors: list[int], judges: list[int], ips: list[str]) -> dict:
    _weight, kind, detail = ACTIONS[action]
    objects = ctx.audit_objects.get(kind) or [(ctx.admin_id, None)]
    object_id, enterprise_id = objects[int(rng.random() * len(objects))]
    if action in ("proposals.mark", "proposals.marks_submitted", "competition.practical_mark"):
        actor = rng.choice(judges)
    elif action in ("auth.login", "auth.login_failed", "account.created"):
        actor = object_id if action != "account.created" else ctx.admin_id
    elif action in ("proposals.judge_assigned", "proposals.score", "competition.theory_mark"):
        actor = ctx.admin_id
    else:
        actor = rng.choice(actors)
    return {"at": at, "actor_id": actor, "action": action, "object_type": TABLES[kind], "object_id": object_id,
            "enterprise_id": enterprise_id, "ip": ips[int(rng.random() * len(ips))],
            "detail": detail(rng)}
