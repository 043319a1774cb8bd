"""Five Small proposals at the city's scale: the stored ranking (place, position, the campaign's
ranking_version and the version the positions show), stored tallies (proposals per status, savings per
enterprise, each judge's load) filled here from the existing rows, and the indexes of the area's
filters (ranking range, assignable proposals, the judge's queue).

Revision ID: 0010_proposals_speed
Revises: 0008_people_speed
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0010_proposals_speed'
down_revision = '0008_people_speed'
branch_labels = None
depends_on = None

# Written out here, not imported: a migration must not change when the application's vocabulary does.
VALID_STATUSES = "('valid', 'under_review', 'scored', 'awarded', 'adopted', 'implemented')"

FILL_TALLIES = (
    """INSERT INTO proposal_status_tally (campaign_id, status, proposals)
       SELECT campaign_id, status, count(*) FROM proposal GROUP BY campaign_id, status""",
    f"""INSERT INTO proposal_savings_tally (campaign_id, enterprise_id, valid, estimated, entered, verified)
       SELECT p.campaign_id, p.enterprise_id,
              count(CASE WHEN p.status IN {VALID_STATUSES} THEN 1 END),
              coalesce(sum(CASE WHEN p.status IN {VALID_STATUSES} THEN p.estimated_savings END), 0),
              coalesce(sum(s.amount), 0),
              coalesce(sum(CASE WHEN s.verified_at IS NOT NULL THEN s.amount END), 0)
       FROM proposal p LEFT JOIN proposal_realised_saving s ON s.proposal_id = p.id
       WHERE p.status IN {VALID_STATUSES} OR s.id IS NOT NULL
       GROUP BY p.campaign_id, p.enterprise_id""",
    """INSERT INTO proposal_judge_load (campaign_id, judge_id, assigned, submitted)
       SELECT campaign_id, judge_id, count(*), count(submitted_at) FROM proposal_judge_assignment
       GROUP BY campaign_id, judge_id""",
)


def upgrade():
    op.create_table('proposal_judge_load',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_judge_load_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_proposal_judge_load_judge_id_user')),
    sa.PrimaryKeyConstraint('campaign_id', 'judge_id', name=op.f('pk_proposal_judge_load'))
    )
    with op.batch_alter_table('proposal_judge_load', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_judge_load_judge_id'), ['judge_id'], unique=False)

    op.create_table('proposal_ranking',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ranked', sa.Integer(), nullable=False),
    sa.Column('computed_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_ranking_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_proposal_ranking'))
    )
    op.create_table('proposal_savings_tally',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('valid', sa.Integer(), nullable=False),
    sa.Column('estimated', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('entered', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('verified', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_savings_tally_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_proposal_savings_tally_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('campaign_id', 'enterprise_id', name=op.f('pk_proposal_savings_tally'))
    )
    with op.batch_alter_table('proposal_savings_tally', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_savings_tally_by_verified', ['campaign_id', 'verified'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_savings_tally_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('proposal_status_tally',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposals', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_status_tally_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'status', name=op.f('pk_proposal_status_tally'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
        batch_op.create_index('ix_proposal_assignable', ['campaign_id', 'id'], unique=False, postgresql_where=sa.text("status IN ('valid', 'under_review')"), sqlite_where=sa.text("status IN ('valid', 'under_review')"))
        batch_op.create_index('ix_proposal_by_campaign_position', ['campaign_id', 'position'], unique=False)

    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ranking_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('proposal_judge_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_judge_assignment_queue', ['judge_id', 'campaign_id', 'id'], unique=False)

    for statement in FILL_TALLIES:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('proposal_judge_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_judge_assignment_queue')

    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.drop_column('ranking_version')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_by_campaign_position')
        batch_op.drop_index('ix_proposal_assignable', postgresql_where=sa.text("status IN ('valid', 'under_review')"), sqlite_where=sa.text("status IN ('valid', 'under_review')"))
        batch_op.drop_column('position')
        batch_op.drop_column('place')

    op.drop_table('proposal_status_tally')
    with op.batch_alter_table('proposal_savings_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_savings_tally_enterprise_id'))
        batch_op.drop_index('ix_proposal_savings_tally_by_verified')

    op.drop_table('proposal_savings_tally')
    op.drop_table('proposal_ranking')
    with op.batch_alter_table('proposal_judge_load', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_judge_load_judge_id'))

    op.drop_table('proposal_judge_load')
