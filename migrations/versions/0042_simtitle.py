"""Stored pairs of proposals with similar titles in one enterprise and campaign (models.proposal_similarity,
issue 10: the proposal lists no longer compare every title of an enterprise's campaign on each view),
found once from the proposals there are.

Revision ID: 0042_simtitle
Revises: 0031_topten
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0042_simtitle'
down_revision = '0031_topten'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposal_similar_title',
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('similar_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                                name=op.f('fk_proposal_similar_title_proposal_id_proposal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['similar_id'], ['proposal.id'],
                                name=op.f('fk_proposal_similar_title_similar_id_proposal'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('proposal_id', 'similar_id', name=op.f('pk_proposal_similar_title')),
    )
    op.create_index(op.f('ix_proposal_similar_title_similar_id'), 'proposal_similar_title', ['similar_id'])
    # The pairs of the proposals already there: the rule is Python (character bigrams), so the app's own
    # function finds them (services.proposals.similar_titles.rebuild, on this migration's connection).
    from services.proposals.similar_titles import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_index(op.f('ix_proposal_similar_title_similar_id'), table_name='proposal_similar_title')
    op.drop_table('proposal_similar_title')
