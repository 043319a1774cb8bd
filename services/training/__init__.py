"""Skills training (技能培训, issue 15), the fourth leg of the four-in-one mechanism (docs/domain.md, Skills
training). Models in models/training.py; who runs and sees a programme follows its owner
(services/common/owners.py).

Modules:
- policy: which programme exists for whom, who runs it, who runs a class's sign-in (its owner's officers
  or the class assistant named on it)
"""
