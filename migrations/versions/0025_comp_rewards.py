"""Prize rewards (奖金) on competitions: one optional amount per prize, like campaigns (issue 14).

Revision ID: 0025_comp_rewards
Revises: 0028_trdone (written on 0024_owners; re-chained when main was merged in)
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_comp_rewards'
down_revision = '0028_trdone'
branch_labels = None
depends_on = None

REWARDS_CHECK = ("(reward_first IS NULL OR reward_first >= 0) AND (reward_second IS NULL OR reward_second >= 0)"
                 " AND (reward_third IS NULL OR reward_third >= 0)"
                 " AND (reward_honourable IS NULL OR reward_honourable >= 0)")


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reward_first', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_second', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_third', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_honourable', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.create_check_constraint(op.f('ck_competition_rewards_not_negative'), REWARDS_CHECK)


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_competition_rewards_not_negative'), type_='check')
        batch_op.drop_column('reward_honourable')
        batch_op.drop_column('reward_second')
        batch_op.drop_column('reward_third')
        batch_op.drop_column('reward_first')
