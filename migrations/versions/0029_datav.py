"""The version of the counted data (models/data_version.py): one row, moved in the same transaction as every
change the report and figures count, under which the figures are memoised (issues 10 and 16).

Revision ID: 0029_datav
Revises: 0035_entrytally (written on 0025_comp_rewards; re-chained at merge)
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_datav'
down_revision = '0035_entrytally'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade():
    op.drop_table('data_version')
