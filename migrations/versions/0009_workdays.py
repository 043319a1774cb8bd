"""Working days from the official calendar: the administrator's overrides and confirmed years; a
notice keeps its length in working days and whether its end is provisional (暂定).

Revision ID: 0009_workdays
Revises: 0008_messages
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0009_workdays'
down_revision = '0008_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], name=op.f('fk_calendar_year_confirmed_by_id_user')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_year'))
    )
    op.create_table('workday_override',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_workday_override_updated_by_id_user')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_workday_override'))
    )
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('working_days', sa.SmallInteger(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('provisional', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.drop_column('provisional')
        batch_op.drop_column('working_days')

    op.drop_table('workday_override')
    op.drop_table('calendar_year')
