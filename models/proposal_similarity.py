"""Pairs of proposals whose titles are alike, in the same enterprise and campaign (possible duplicates).

The proposal lists of HR and the officers, and a proposal's page, flag a proposal when another of its
enterprise and campaign (drafts and withdrawn ones aside) has a similar title (the rule:
services.proposals.similar_titles). Comparing every title of an enterprise's campaign on each view grew
with the enterprise (about 7 ms of CPU per page at 400 proposals); so each pair is stored, in both
directions, in the same transaction as the change that makes or breaks it (a proposal submitted,
withdrawn, retitled, moved), and a page reads its flags by index.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from models import db


class SimilarTitle(db.Model):
    """`similar_id`'s title is like `proposal_id`'s (the row of the other direction exists too)."""

    __tablename__ = "proposal_similar_title"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    similar_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
