"""Mentoring and titles at the city's scale: each enterprise's pairs counted by status
(mentorship_figures, filled from the pairs there are), and the indexes the dashboards and review
tables read by: a pair's status with its next check-in, planned end and end date; a round's
nominations by evidence and by date.

Revision ID: 0008_mentoring_titles_speed
Revises: 0010_proposals_speed
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_mentoring_titles_speed'
down_revision = '0010_proposals_speed'
branch_labels = None
depends_on = None

STATUSES = ('proposed', 'active', 'completed', 'ended_early', 'dissolved')
PAIR_INDEXES = {'ix_mentor_pair_status_due': ['status', 'next_checkin_due'],
                'ix_mentor_pair_status_planned_end': ['status', 'planned_end'],
                'ix_mentor_pair_status_ended_on': ['status', 'ended_on']}
NOMINATION_INDEXES = {'ix_nomination_round_evidence': ['round_id', 'evidence_score', 'id'],
                      'ix_nomination_round_created': ['round_id', 'created_at']}


def upgrade():
    op.create_table('mentorship_figures',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('pairs', sa.Integer(), nullable=False),
    *[sa.Column(status, sa.Integer(), nullable=False) for status in STATUSES],
    sa.CheckConstraint('pairs >= 0 AND proposed >= 0 AND active >= 0 AND completed >= 0 AND ended_early >= 0 '
                       'AND dissolved >= 0', name=op.f('ck_mentorship_figures_counts_not_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                            name=op.f('fk_mentorship_figures_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('enterprise_id', name=op.f('pk_mentorship_figures'))
    )
    with op.batch_alter_table('mentorship_figures', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_figures_active', ['active', 'enterprise_id'], unique=False)
    counts = ', '.join(f"SUM(CASE WHEN status = '{status}' THEN 1 ELSE 0 END)" for status in STATUSES)
    op.execute(f"INSERT INTO mentorship_figures (enterprise_id, pairs, {', '.join(STATUSES)}) "
               f"SELECT enterprise_id, COUNT(*), {counts} FROM mentor_pair GROUP BY enterprise_id")
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        for name, columns in PAIR_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        for name, columns in NOMINATION_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        for name in NOMINATION_INDEXES:
            batch_op.drop_index(name)
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        for name in PAIR_INDEXES:
            batch_op.drop_index(name)
    with op.batch_alter_table('mentorship_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_mentorship_figures_active')
    op.drop_table('mentorship_figures')
