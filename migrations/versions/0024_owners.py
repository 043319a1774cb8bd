"""Owners of campaigns (enterprise / town / city), per-campaign judging panels, prize rewards, and
recommendation upward (a proposal's entry in a higher campaign names its original), and results from
levels above the city (higher_result) (issue 14).

Revision ID: 0024_owners
Revises: 0021_imports
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0024_owners'
down_revision = '0021_imports'
branch_labels = None
depends_on = None

OWNER_CHECK = ("(owner_level = 'city' AND owner_enterprise_id IS NULL AND owner_town_id IS NULL)"
               " OR (owner_level = 'town' AND owner_town_id IS NOT NULL AND owner_enterprise_id IS NULL)"
               " OR (owner_level = 'enterprise' AND owner_enterprise_id IS NOT NULL AND owner_town_id IS NULL)")
REWARDS_CHECK = ("(reward_first IS NULL OR reward_first >= 0) AND (reward_second IS NULL OR reward_second >= 0)"
                 " AND (reward_third IS NULL OR reward_third >= 0)"
                 " AND (reward_honourable IS NULL OR reward_honourable >= 0)")


def upgrade():
    op.create_table('proposal_campaign_judge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('appointed_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['user.id'], name=op.f('fk_proposal_campaign_judge_appointed_by_id_user')),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_campaign_judge_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_proposal_campaign_judge_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_campaign_judge')),
    sa.UniqueConstraint('campaign_id', 'user_id', name=op.f('uq_proposal_campaign_judge_campaign_id_user_id'))
    )
    with op.batch_alter_table('proposal_campaign_judge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_campaign_judge_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recommended_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recommended_at', models.types.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposal_origin_id'), ['origin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_recommended_from_id'), ['recommended_from_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_proposal_origin_id_campaign_id'), ['origin_id', 'campaign_id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposal_origin_id_proposal'), 'proposal', ['origin_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposal_recommended_from_id_proposal'), 'proposal', ['recommended_from_id'], ['id'])

    with op.batch_alter_table('proposal_attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_proposal_attachment_file_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_proposal_attachment_file_id'), ['file_id'], unique=False)

    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_level', sa.String(length=16), server_default='city', nullable=False))
        batch_op.add_column(sa.Column('owner_enterprise_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_town_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recommend_quota', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reward_first', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_second', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_third', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('reward_honourable', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_proposal_campaign_name'), type_='unique')
        batch_op.create_index('ix_proposal_campaign_owner', ['owner_level', 'owner_enterprise_id', 'owner_town_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_campaign_owner_enterprise_id'), ['owner_enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_campaign_owner_town_id'), ['owner_town_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_proposal_campaign_owner_town_id_town'), 'town', ['owner_town_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposal_campaign_owner_enterprise_id_enterprise'), 'enterprise', ['owner_enterprise_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_proposal_campaign_owner'), OWNER_CHECK)
        batch_op.create_check_constraint(op.f('ck_proposal_campaign_recommend_quota_positive'),
                                         'recommend_quota IS NULL OR recommend_quota >= 1')
        batch_op.create_check_constraint(op.f('ck_proposal_campaign_rewards_not_negative'), REWARDS_CHECK)

    op.create_table('higher_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('contest', sa.String(length=100), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('recommended_on', sa.Date(), nullable=False),
    sa.Column('prize', sa.String(length=16), nullable=True),
    sa.Column('result_on', sa.Date(), nullable=True),
    sa.Column('evidence_file_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('result_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("level IN ('prefecture', 'province', 'national', 'international')", name=op.f('ck_higher_result_level_known')),
    sa.CheckConstraint('(proposal_id IS NOT NULL AND person_id IS NULL) OR (proposal_id IS NULL AND person_id IS NOT NULL)', name=op.f('ck_higher_result_one_subject')),
    sa.CheckConstraint('prize IS NULL OR (result_on IS NOT NULL AND evidence_file_id IS NOT NULL)', name=op.f('ck_higher_result_result_with_evidence')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_higher_result_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_file.id'], name=op.f('fk_higher_result_evidence_file_id_stored_file')),
    sa.ForeignKeyConstraint(['person_id'], ['user.id'], name=op.f('fk_higher_result_person_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_higher_result_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_higher_result_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['result_by_id'], ['user.id'], name=op.f('fk_higher_result_result_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_higher_result'))
    )
    with op.batch_alter_table('higher_result', schema=None) as batch_op:
        batch_op.create_index('ix_higher_result_by_enterprise', ['enterprise_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_higher_result_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_higher_result_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_level', sa.String(length=16), server_default='city', nullable=False))
        batch_op.add_column(sa.Column('owner_enterprise_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_town_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_competition_owner_enterprise_id'), ['owner_enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_owner_town_id'), ['owner_town_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_competition_owner_enterprise_id_enterprise'), 'enterprise', ['owner_enterprise_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_competition_owner_town_id_town'), 'town', ['owner_town_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_competition_owner'), OWNER_CHECK)


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_competition_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_competition_owner_town_id_town'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_competition_owner_enterprise_id_enterprise'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_competition_owner_town_id'))
        batch_op.drop_index(batch_op.f('ix_competition_owner_enterprise_id'))
        batch_op.drop_column('owner_town_id')
        batch_op.drop_column('owner_enterprise_id')
        batch_op.drop_column('owner_level')

    with op.batch_alter_table('higher_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_higher_result_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_higher_result_person_id'))
        batch_op.drop_index('ix_higher_result_by_enterprise')

    op.drop_table('higher_result')
    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposal_campaign_rewards_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_proposal_campaign_recommend_quota_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_proposal_campaign_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_proposal_campaign_owner_enterprise_id_enterprise'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_proposal_campaign_owner_town_id_town'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_proposal_campaign_owner_town_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_campaign_owner_enterprise_id'))
        batch_op.drop_index('ix_proposal_campaign_owner')
        batch_op.create_unique_constraint(batch_op.f('uq_proposal_campaign_name'), ['name'])
        batch_op.drop_column('reward_honourable')
        batch_op.drop_column('reward_third')
        batch_op.drop_column('reward_second')
        batch_op.drop_column('reward_first')
        batch_op.drop_column('recommend_quota')
        batch_op.drop_column('owner_town_id')
        batch_op.drop_column('owner_enterprise_id')
        batch_op.drop_column('owner_level')

    with op.batch_alter_table('proposal_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_attachment_file_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_proposal_attachment_file_id'), ['file_id'])

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposal_recommended_from_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_proposal_origin_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_proposal_origin_id_campaign_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_proposal_recommended_from_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_origin_id'))
        batch_op.drop_column('recommended_at')
        batch_op.drop_column('recommended_from_id')
        batch_op.drop_column('origin_id')

    with op.batch_alter_table('proposal_campaign_judge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_campaign_judge_user_id'))

    op.drop_table('proposal_campaign_judge')
