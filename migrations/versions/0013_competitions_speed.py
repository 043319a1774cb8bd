"""Competitions at the city's scale: each stored result's position in the ranking (the dense order
1..n: rank, then competitor number), filled from the results there are, and the indexes the paged
ranking, the public prize list and the keyset registrations list read by.

Revision ID: 0013_competitions_speed
Revises: 0008_mentoring_titles_speed
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_competitions_speed'
down_revision = '0008_mentoring_titles_speed'
branch_labels = None
depends_on = None

RESULT_INDEXES = {'ix_competition_result_position': ['competition_id', 'position'],
                  'ix_competition_result_prize_position': ['competition_id', 'prize', 'position']}
REGISTRATION_INDEXES = {'ix_competition_registration_order': ['competition_id', 'id'],
                        'ix_competition_registration_enterprise_order': ['competition_id', 'enterprise_id', 'id']}

FILL_POSITIONS = """
UPDATE competition_result SET position = (
    SELECT ordered.position FROM (
        SELECT r.id AS id, ROW_NUMBER() OVER (
            PARTITION BY r.competition_id
            ORDER BY r.total DESC, r.practical DESC, g.competitor_no, r.id) AS position
        FROM competition_result r JOIN competition_registration g ON g.id = r.registration_id
    ) AS ordered WHERE ordered.id = competition_result.id)
"""


def upgrade():
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
    op.execute(FILL_POSITIONS)
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        for name, columns in RESULT_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('competition_registration', schema=None) as batch_op:
        for name, columns in REGISTRATION_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('competition_registration', schema=None) as batch_op:
        for name in REGISTRATION_INDEXES:
            batch_op.drop_index(name)
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        for name in RESULT_INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column('position')
