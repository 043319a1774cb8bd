"""Demo data for `make run` (`flask seed-demo`): idempotent, safe to run on every start.

Only the `flask seed-demo` command (cli.py) and tests import this package; no rule in services/
imports it. Each module seeds one area through the area's own services, relative to clock.now(), so
the demo shows every state on any date:

- accounts: two enterprises, one account per role, a dozen workers per enterprise (DEMO_PASSWORD)
- mentorship, competitions, proposals: every state of each part; competition_levels: a town's and an
  enterprise's selection contests (prize money, the town's top 2 recommended into a city final)
- town_campaigns: the demo town's own campaigns (judged by the city's judge pool): one on notice with an
  objection to resolve and its best recommended into the city's campaign, one to publish
- achievements: the city's top ten innovation achievements: some of last year's, this year's partly filled
- training: programmes of each owner level in every state (demo/training.py; the other training parts'
  demos run after it and find the town's team-leader programme with town_team_leader_programme())
- titles: last, because title evidence comes from the parts above
- training_completion: a finished town team-leader programme (certificates, one revoked, two not
  completed; the demo worker completed it) and an enterprise's ended one waiting to be finished
- employment: every worker's employment history; one person mid-transfer, one who left, one transferred
- activation: new hires not activated (without a code, with one, with an expired one) and one activated
- imports: a roster import applied and one previewed (enterprise A's HR)
- training_money: a finished programme's costs, an education upgrade and a skill upgrade with subsidies
- training_attendance: a town team-leader programme's classes: past and closed, under way with sign-in open, next week
- messages: the services left a message per event; older ones are marked read on the first run
"""

from __future__ import annotations

from demo import (
    accounts,
    achievements,
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
    training,
    training_attendance,
    training_completion,
    training_money,
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
    achievements.seed()  # the city's top ten innovation achievements, among the proposals above
    training.seed()  # the training programmes; the other training demos run after it
    titles.seed()
    training_completion.seed()  # a finished town programme with certificates, an ended one to finish
    added.update(employment.seed(DEMO_PASSWORD))
    added["new hires"] = activation.seed()
    imports.seed()
    training_money.seed()  # costs and upgrades on the programmes above
    training_attendance.seed()  # the town team-leader programme's classes and sign-ins
    messages.seed(first_time=added.get("accounts", 0) > 0)
    return added
