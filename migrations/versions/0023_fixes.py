"""Fixes of a fresh-user tryout: messages listed newest first by their time (index on recipient,
created_at, id); an excellent-pair honour can be revoked (when, why, by whom).

Revision ID: 0023_fixes
Revises: 0018_towns
"""
import sqlalchemy as sa

import models.types
from alembic import op

revision = '0023_fixes'
down_revision = '0018_towns'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_message_inbox_time', 'message', ['recipient_id', 'created_at', 'id'], unique=False)
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_excellent_nomination_revoked_by_id_user'), 'user',
                                    ['revoked_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_excellent_nomination_revoked_by_id_user'), type_='foreignkey')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revoked_at')
    op.drop_index('ix_message_inbox_time', table_name='message')
