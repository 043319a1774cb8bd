"""Demo data for `make run` (`flask seed-demo`): idempotent, safe to run on every start.

Only the `flask seed-demo` command (cli.py) and tests import this package; no rule in services/
imports it. Each module seeds one area through the area's own services, relative to clock.now(), so
the demo shows every state on any date:

- accounts: two enterprises, one account per role, a dozen workers per enterprise (DEMO_PASSWORD)
- mentorship, competitions, proposals: every state of each part; competition_levels: a town's and an
  enterprise's selection contests (prize money, the town's top 2 recommended into a city final)
- town_campaigns: the demo town's own campaigns, one on notice with an objection, one to publish
- titles: last, because title evidence comes from the parts above
- employment: every worker's employment history; one person mid-transfer, one who left, one transferred
- activation: new hires not activated (without a code, with one, with an expired one) and one activated
- imports: a roster import applied and one previewed (enterprise A's HR)
- messages: the services left a message per event; older ones are marked read on the first run
"""

from __future__ import annotations

from demo import (
    accounts,
    activation,
    competition_levels,
    competitions,
    employment,
    imports,
    mentorship,
    messages,
    proposals,
    titles,
    town_campaigns,
)
from demo.accounts import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "seed_demo"]


def seed_demo() -> dict:
    """Create what is missing; returns counts of what was added."""
    added = accounts.seed()
    added.update(mentorship.seed())
    competitions.seed()
    competition_levels.seed()
    proposals.seed()
    town_campaigns.seed()
    titles.seed()
    added.update(employment.seed(DEMO_PASSWORD))
    added["new hires"] = activation.seed()
    imports.seed()
    messages.seed(first_time=added.get("accounts", 0) > 0)
    return added
