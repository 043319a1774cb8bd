"""Stored entry counts per competition and status (models.competition_tallies), filled from the entries
(issue 10: the union's home and the registrations list no longer count 10,000 entries per view).

Revision ID: 0035_entrytally
Revises: 0025_comp_rewards
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0035_entrytally'
down_revision = '0025_comp_rewards'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'competition_entry_tally',
        sa.Column('competition_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('entries', sa.Integer(), nullable=False),
        sa.Column('unchecked', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['competition_id'], ['competition.id'],
                                name=op.f('fk_competition_entry_tally_competition_id_competition'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('competition_id', 'status', name=op.f('pk_competition_entry_tally')),
    )
    op.execute(
        "INSERT INTO competition_entry_tally (competition_id, status, entries, unchecked) "
        "SELECT competition_id, status, count(*), count(*) - count(approved_at) "
        "FROM competition_registration GROUP BY competition_id, status")


def downgrade():
    op.drop_table('competition_entry_tally')
