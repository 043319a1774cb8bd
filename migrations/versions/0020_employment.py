"""Employment history (任职记录) and transfers between enterprises (issue 13, "People who change
employer"). Backfills one open employment per existing worker or HR with an employer, from
user.enterprise_id, employee_no, trade_id and hire_date.

Revision ID: 0020_employment
Revises: 0017_id_card
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = '0020_employment'
down_revision = '0017_id_card'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'employment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('employee_no', sa.String(length=32), nullable=True),
        sa.Column('trade_id', sa.Integer(), nullable=True),
        sa.Column('started_on', sa.Date(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_reason', sa.String(length=16), nullable=True),
        sa.Column('closed_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_employment_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_employment_trade_id_trade')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_employment_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_employment')),
    )
    op.create_index('ix_employment_user_id_id', 'employment', ['user_id', 'id'])
    op.create_index(op.f('ix_employment_enterprise_id'), 'employment', ['enterprise_id'])
    op.create_index(op.f('ix_employment_ended_on'), 'employment', ['ended_on'])
    op.create_table(
        'transfer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('from_enterprise_id', sa.Integer(), nullable=True),
        sa.Column('to_enterprise_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('employee_no', sa.String(length=32), nullable=True),
        sa.Column('trade_id', sa.Integer(), nullable=True),
        sa.Column('hire_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('person_confirmed_at', UTCDateTime(), nullable=True),
        sa.Column('answer', sa.String(length=16), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', UTCDateTime(), nullable=True),
        sa.Column('leave_date', sa.Date(), nullable=True),
        sa.Column('answer_due_at', UTCDateTime(), nullable=False),
        sa.Column('completed_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_transfer_answered_by_id_user')),
        sa.ForeignKeyConstraint(['from_enterprise_id'], ['enterprise.id'],
                                name=op.f('fk_transfer_from_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_transfer_requested_by_id_user')),
        sa.ForeignKeyConstraint(['to_enterprise_id'], ['enterprise.id'],
                                name=op.f('fk_transfer_to_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_transfer_trade_id_trade')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_transfer_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer')),
    )
    for column in ('user_id', 'from_enterprise_id', 'to_enterprise_id', 'status', 'answer_due_at'):
        op.create_index(op.f(f'ix_transfer_{column}'), 'transfer', [column])
    # One open employment per worker or HR who has an employer today.
    op.execute(
        "INSERT INTO employment (user_id, enterprise_id, employee_no, trade_id, started_on, created_at) "
        "SELECT id, enterprise_id, employee_no, trade_id, hire_date, created_at FROM \"user\" "
        "WHERE enterprise_id IS NOT NULL AND id IN (SELECT user_id FROM user_role WHERE role IN ('worker', 'hr')) "
        "ORDER BY id"
    )


def downgrade():
    for column in ('user_id', 'from_enterprise_id', 'to_enterprise_id', 'status', 'answer_due_at'):
        op.drop_index(op.f(f'ix_transfer_{column}'), table_name='transfer')
    op.drop_table('transfer')
    op.drop_index(op.f('ix_employment_ended_on'), table_name='employment')
    op.drop_index(op.f('ix_employment_enterprise_id'), table_name='employment')
    op.drop_index('ix_employment_user_id_id', table_name='employment')
    op.drop_table('employment')
