"""Bulk imports (issue 13): import batches and their rows; a person's education level (the leave date
is the employment record's ended_on, migration 0020_employment).

Revision ID: 0021_imports
Revises: 0023_fixes
"""
import sqlalchemy as sa
from alembic import op

import models.types

revision = '0021_imports'
down_revision = '0023_fixes'
branch_labels = None
depends_on = None


def upgrade():
    # add_column, not a batch copy: SQLite's copy cannot carry user.phone_tail (a generated column).
    op.add_column('user', sa.Column('education', sa.String(length=24), nullable=True))
    op.create_table(
        'import_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('stored_file_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('preview_job_id', sa.Integer(), nullable=True),
        sa.Column('apply_job_id', sa.Integer(), nullable=True),
        sa.Column('count_new', sa.Integer(), nullable=False),
        sa.Column('count_update', sa.Integer(), nullable=False),
        sa.Column('count_unchanged', sa.Integer(), nullable=False),
        sa.Column('count_error', sa.Integer(), nullable=False),
        sa.Column('count_transfer', sa.Integer(), nullable=False),
        sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
        sa.Column('previewed_at', models.types.UTCDateTime(), nullable=True),
        sa.Column('applied_at', models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['apply_job_id'], ['job.id'], name=op.f('fk_import_batch_apply_job_id_job'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_batch_created_by_id_user')),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                                name=op.f('fk_import_batch_enterprise_id_enterprise')),
        sa.ForeignKeyConstraint(['preview_job_id'], ['job.id'], name=op.f('fk_import_batch_preview_job_id_job'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'],
                                name=op.f('fk_import_batch_stored_file_id_stored_file')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    )
    op.create_index(op.f('ix_import_batch_created_by_id'), 'import_batch', ['created_by_id'], unique=False)
    op.create_index(op.f('ix_import_batch_enterprise_id'), 'import_batch', ['enterprise_id'], unique=False)
    op.create_table(
        'import_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('row_no', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('note', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_import_row_batch_id_import_batch'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_row')),
    )
    op.create_index('ix_import_row_batch_id_row_no', 'import_row', ['batch_id', 'row_no'], unique=False)


def downgrade():
    op.drop_index('ix_import_row_batch_id_row_no', table_name='import_row')
    op.drop_table('import_row')
    op.drop_index(op.f('ix_import_batch_enterprise_id'), table_name='import_batch')
    op.drop_index(op.f('ix_import_batch_created_by_id'), table_name='import_batch')
    op.drop_table('import_batch')
    op.drop_column('user', 'education')
