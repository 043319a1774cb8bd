"""Training as evidence (issue 15): a title type's eligibility rules and the mentoring settings' mentor rule
may ask for training hours within some years or a completed programme of a kind
(models.training.TrainingRequirement).

Revision ID: 0028_trdone
Revises: 0025_training
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_trdone'
down_revision = '0025_training'
branch_labels = None
depends_on = None

TABLES = ('title_type', 'mentorship_settings')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('training_min_hours', sa.Numeric(precision=6, scale=1), nullable=True))
            batch_op.add_column(sa.Column('training_hours_years', sa.SmallInteger(), nullable=True))
            batch_op.add_column(sa.Column('training_programme_kind', sa.String(length=24), nullable=True))
            batch_op.add_column(sa.Column('training_programme_years', sa.SmallInteger(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('training_programme_years')
            batch_op.drop_column('training_programme_kind')
            batch_op.drop_column('training_hours_years')
            batch_op.drop_column('training_min_hours')
