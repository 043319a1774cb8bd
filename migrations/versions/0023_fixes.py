"""Fixes of a fresh-user tryout: messages listed newest first by their time (index on recipient,
created_at, id).

Revision ID: 0023_fixes
Revises: 0017_id_card
"""
from alembic import op

revision = '0023_fixes'
down_revision = '0017_id_card'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_message_inbox_time', 'message', ['recipient_id', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_message_inbox_time', table_name='message')
