"""A promotion recommendation passed over at the moment of selection keeps why (issue 12, item 5):
competition_promotion.reason (status "passed_over"). Registrations passed over by the waitlist use
their existing status and reason columns.

Revision ID: 0016_rules
Revises: 0014_documents
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_rules'
down_revision = '0014_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition_promotion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('competition_promotion', schema=None) as batch_op:
        batch_op.drop_column('reason')
