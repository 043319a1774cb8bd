"""The city's "top ten" innovation achievements (全市十大创新成果, issue 16): one row per designated
original proposal, its year and position (unique per year), citation, who designated it and when.

Revision ID: 0031_topten
Revises: 0030_trainidx (written on 0025_comp_rewards; re-chained at merge)
"""
import sqlalchemy as sa
from alembic import op

import models.types

# revision identifiers, used by Alembic.
revision = '0031_topten'
down_revision = '0030_trainidx'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'top_achievement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.SmallInteger(), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('citation', sa.String(length=200), nullable=True),
        sa.Column('designated_by_id', sa.Integer(), nullable=True),
        sa.Column('designated_at', models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint('position >= 1 AND position <= 10', name=op.f('ck_top_achievement_position_in_ten')),
        sa.ForeignKeyConstraint(['designated_by_id'], ['user.id'],
                                name=op.f('fk_top_achievement_designated_by_id_user')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_top_achievement_proposal_id_proposal')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_top_achievement')),
        sa.UniqueConstraint('year', 'position', name=op.f('uq_top_achievement_year_position')),
    )
    op.create_index('ix_top_achievement_proposal_id', 'top_achievement', ['proposal_id'], unique=True)


def downgrade():
    op.drop_index('ix_top_achievement_proposal_id', table_name='top_achievement')
    op.drop_table('top_achievement')
