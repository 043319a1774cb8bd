"""Background jobs (with the files they produce) and the runs of periodic tasks.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('periodic_run',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('last_started_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('last_finished_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('last_outcome', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_run'))
    )
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('message', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result_name', sa.String(length=200), nullable=True),
    sa.Column('result_type', sa.String(length=100), nullable=True),
    sa.Column('result_size', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('started_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('finished_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('expires_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_job_requested_by_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_status'), ['status'], unique=False)

    op.create_table('job_file',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_job_file_job_id_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_file'))
    )


def downgrade():
    op.drop_table('job_file')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_status'))
        batch_op.drop_index(batch_op.f('ix_job_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_job_expires_at'))

    op.drop_table('job')
    op.drop_table('periodic_run')
