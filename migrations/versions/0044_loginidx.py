"""A username is unique in any case, and login finds it by an index (issue 10): a unique index on
lower(username). Login and the username check compared lower(username), which scanned every account
(~100 ms per login at 250,000 accounts).

Revision ID: 0044_loginidx
Revises: 0043_propentid
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0044_loginidx'
down_revision = '0043_propentid'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('uq_user_username_lower', 'user', [sa.text('lower(username)')], unique=True)


def downgrade():
    op.drop_index('uq_user_username_lower', table_name='user')
