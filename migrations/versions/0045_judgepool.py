"""The city's judge pool as a flag on the account (models.judge_pool, issue 10): user.in_judge_pool, set here
from the roles there are, and the partial index the campaign's judges page reads the pool from
(ix_user_judge_pool: name, id, enterprise_id of the pool's accounts only).

Revision ID: 0045_judgepool
Revises: 0044_loginidx
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0045_judgepool'
down_revision = '0044_loginidx'
branch_labels = None
depends_on = None


def upgrade():
    # add_column, not a batch copy: SQLite's copy cannot carry user.phone_tail (a generated column).
    op.add_column('user', sa.Column('in_judge_pool', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE \"user\" SET in_judge_pool = TRUE WHERE is_active AND EXISTS "
               "(SELECT 1 FROM user_role WHERE user_role.user_id = \"user\".id AND user_role.role = 'judge')")
    op.create_index('ix_user_judge_pool', 'user', ['name', 'id', 'enterprise_id'],
                    postgresql_where=sa.text('in_judge_pool'), sqlite_where=sa.text('in_judge_pool = 1'))


def downgrade():
    op.drop_index('ix_user_judge_pool', table_name='user')
    op.drop_column('user', 'in_judge_pool')
