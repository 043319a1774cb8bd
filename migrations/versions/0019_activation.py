"""Accounts that people activate (issue 13): activation codes (hashed), when the person activated, the
privacy notice version they accepted. Every existing account counts as activated.

Revision ID: 0019_activation
Revises: 0020_employment
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0019_activation'
down_revision = '0020_employment'
branch_labels = None
depends_on = None


def upgrade():
    # add_column, not a batch copy: SQLite's copy cannot carry user.phone_tail (a generated column).
    op.add_column('user', sa.Column('activated_at', UTCDateTime(), nullable=True))
    op.add_column('user', sa.Column('privacy_notice_version', sa.String(length=20), nullable=True))
    op.add_column('user', sa.Column('privacy_accepted_at', UTCDateTime(), nullable=True))
    # Accounts made before activation existed were usable: they stay so.
    op.execute('UPDATE "user" SET activated_at = created_at')
    op.create_table(
        'activation_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('issued_at', UTCDateTime(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('used_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'],
                                name=op.f('fk_activation_code_issued_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_activation_code_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_code')),
        sa.UniqueConstraint('user_id', name=op.f('uq_activation_code_user_id')),
    )


def downgrade():
    op.drop_table('activation_code')
    op.drop_column('user', 'privacy_accepted_at')
    op.drop_column('user', 'privacy_notice_version')
    op.drop_column('user', 'activated_at')
