"""The person's resident ID-card number (issue 13): optional, unique where given, stored normalised.

Revision ID: 0017_id_card
Revises: 0015_input
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_id_card'
down_revision = '0015_input'
branch_labels = None
depends_on = None


def upgrade():
    # add_column and a unique index, not a batch copy: SQLite's copy cannot carry user.phone_tail
    # (a generated column).
    op.add_column('user', sa.Column('id_card_no', sa.String(length=18), nullable=True))
    op.create_index('ix_user_id_card_no', 'user', ['id_card_no'], unique=True)


def downgrade():
    op.drop_index('ix_user_id_card_no', table_name='user')
    op.drop_column('user', 'id_card_no')
