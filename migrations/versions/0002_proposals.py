"""Five Small proposals: campaigns, rubric, proposals, authors, attachments, status history,
judge assignments, marks and their changes, realised savings.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('submission_opens_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('submission_closes_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('judging_opens_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('judging_closes_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('min_judges', sa.SmallInteger(), nullable=False),
    sa.Column('blind_review', sa.Boolean(), nullable=False),
    sa.Column('quota_first', sa.Integer(), nullable=False),
    sa.Column('quota_second', sa.Integer(), nullable=False),
    sa.Column('quota_third', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('judging_opens_at < judging_closes_at', name=op.f('ck_proposal_campaign_judging_window')),
    sa.CheckConstraint('min_judges >= 1', name=op.f('ck_proposal_campaign_min_judges_positive')),
    sa.CheckConstraint('pass_mark >= 0 AND pass_mark <= 100', name=op.f('ck_proposal_campaign_pass_mark_range')),
    sa.CheckConstraint('quota_first >= 0 AND quota_second >= 0 AND quota_third >= 0', name=op.f('ck_proposal_campaign_quotas')),
    sa.CheckConstraint('submission_opens_at < submission_closes_at', name=op.f('ck_proposal_campaign_submission_window')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_proposal_campaign_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_campaign')),
    sa.UniqueConstraint('name', name=op.f('uq_proposal_campaign_name'))
    )
    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_campaign_status'), ['status'], unique=False)
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('solution', sa.Text(), nullable=False),
    sa.Column('expected_benefit', sa.Text(), nullable=False),
    sa.Column('estimated_savings', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('calc_quantity_before', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('calc_quantity_after', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('calc_unit_price', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('calc_annual_output', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('calc_implementation_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pledge_confirmed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('screening_reason', sa.String(length=16), nullable=True),
    sa.Column('screening_note', sa.Text(), nullable=True),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('score_spread', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('judge_count', sa.SmallInteger(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('prize', sa.String(length=16), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('estimated_savings IS NULL OR estimated_savings >= 0', name=op.f('ck_proposal_savings_not_negative')),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_campaign_id_proposal_campaign')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_proposal_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['proposer_id'], ['user.id'], name=op.f('fk_proposal_proposer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_by_campaign_status', ['campaign_id', 'status'], unique=False)
        batch_op.create_index('ix_proposal_by_enterprise_campaign', ['enterprise_id', 'campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_prize'), ['prize'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_score'), ['score'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_submitted_at'), ['submitted_at'], unique=False)
    op.create_table('proposal_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('weight', sa.SmallInteger(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('weight >= 1 AND weight <= 100', name=op.f('ck_proposal_criterion_weight_range')),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_criterion_campaign_id_proposal_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_criterion')),
    sa.UniqueConstraint('campaign_id', 'name', name=op.f('uq_proposal_criterion_campaign_id_name'))
    )
    with op.batch_alter_table('proposal_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_criterion_campaign_id'), ['campaign_id'], unique=False)
    op.create_table('proposal_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_proposal_attachment_file_id_stored_file')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_attachment_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_attachment')),
    sa.UniqueConstraint('file_id', name=op.f('uq_proposal_attachment_file_id'))
    )
    with op.batch_alter_table('proposal_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_attachment_proposal_id'), ['proposal_id'], unique=False)
    op.create_table('proposal_author',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('share', sa.SmallInteger(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('share >= 1 AND share <= 100', name=op.f('ck_proposal_author_share_range')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_author_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_proposal_author_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_author')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_proposal_author_proposal_id_user_id'))
    )
    with op.batch_alter_table('proposal_author', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_author_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_author_user_id'), ['user_id'], unique=False)
    op.create_table('proposal_judge_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('total', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('submitted_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_proposal_judge_assignment_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['campaign_id'], ['proposal_campaign.id'], name=op.f('fk_proposal_judge_assignment_campaign_id_proposal_campaign')),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_proposal_judge_assignment_judge_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_judge_assignment_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_judge_assignment')),
    sa.UniqueConstraint('proposal_id', 'judge_id', name=op.f('uq_proposal_judge_assignment_proposal_id_judge_id'))
    )
    with op.batch_alter_table('proposal_judge_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_judge_assignment_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_judge_assignment_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_judge_assignment_proposal_id'), ['proposal_id'], unique=False)
    op.create_table('proposal_realised_saving',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('finance_file_id', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', models.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_proposal_realised_saving_amount_not_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_proposal_realised_saving_entered_by_id_user')),
    sa.ForeignKeyConstraint(['finance_file_id'], ['stored_file.id'], name=op.f('fk_proposal_realised_saving_finance_file_id_stored_file')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_realised_saving_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], name=op.f('fk_proposal_realised_saving_verified_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_realised_saving')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_proposal_realised_saving_proposal_id'))
    )
    with op.batch_alter_table('proposal_realised_saving', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_realised_saving_verified_at'), ['verified_at'], unique=False)
    op.create_table('proposal_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', models.types.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_proposal_status_change_actor_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_status_change_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_status_change'))
    )
    with op.batch_alter_table('proposal_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_status_change_proposal_id'), ['proposal_id'], unique=False)
    op.create_table('proposal_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.SmallInteger(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mark >= 0 AND mark <= 10', name=op.f('ck_proposal_mark_mark_range')),
    sa.ForeignKeyConstraint(['assignment_id'], ['proposal_judge_assignment.id'], name=op.f('fk_proposal_mark_assignment_id_proposal_judge_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['proposal_criterion.id'], name=op.f('fk_proposal_mark_criterion_id_proposal_criterion')),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_proposal_mark_judge_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_mark_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_mark')),
    sa.UniqueConstraint('proposal_id', 'judge_id', 'criterion_id', name=op.f('uq_proposal_mark_proposal_id_judge_id_criterion_id'))
    )
    with op.batch_alter_table('proposal_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_mark_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_mark_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_mark_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_mark_proposal_id'), ['proposal_id'], unique=False)
    op.create_table('proposal_mark_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('old_mark', sa.SmallInteger(), nullable=True),
    sa.Column('new_mark', sa.SmallInteger(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('new_mark >= 0 AND new_mark <= 10', name=op.f('ck_proposal_mark_change_new_mark_range')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_proposal_mark_change_changed_by_id_user')),
    sa.ForeignKeyConstraint(['criterion_id'], ['proposal_criterion.id'], name=op.f('fk_proposal_mark_change_criterion_id_proposal_criterion')),
    sa.ForeignKeyConstraint(['mark_id'], ['proposal_mark.id'], name=op.f('fk_proposal_mark_change_mark_id_proposal_mark'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_mark_change_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_mark_change'))
    )
    with op.batch_alter_table('proposal_mark_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_mark_change_changed_by_id'), ['changed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_mark_change_mark_id'), ['mark_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_mark_change_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_mark_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_mark_change_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_mark_change_mark_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_mark_change_changed_by_id'))
    op.drop_table('proposal_mark_change')
    with op.batch_alter_table('proposal_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_mark_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_mark_judge_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_mark_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_mark_assignment_id'))
    op.drop_table('proposal_mark')
    with op.batch_alter_table('proposal_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_status_change_proposal_id'))
    op.drop_table('proposal_status_change')
    with op.batch_alter_table('proposal_realised_saving', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_realised_saving_verified_at'))
    op.drop_table('proposal_realised_saving')
    with op.batch_alter_table('proposal_judge_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_judge_assignment_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_judge_assignment_judge_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_judge_assignment_campaign_id'))
    op.drop_table('proposal_judge_assignment')
    with op.batch_alter_table('proposal_author', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_author_user_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_author_proposal_id'))
    op.drop_table('proposal_author')
    with op.batch_alter_table('proposal_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_attachment_proposal_id'))
    op.drop_table('proposal_attachment')
    with op.batch_alter_table('proposal_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_criterion_campaign_id'))
    op.drop_table('proposal_criterion')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_proposal_status'))
        batch_op.drop_index(batch_op.f('ix_proposal_score'))
        batch_op.drop_index(batch_op.f('ix_proposal_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_prize'))
        batch_op.drop_index(batch_op.f('ix_proposal_kind'))
        batch_op.drop_index(batch_op.f('ix_proposal_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_campaign_id'))
        batch_op.drop_index('ix_proposal_by_enterprise_campaign')
        batch_op.drop_index('ix_proposal_by_campaign_status')
    op.drop_table('proposal')
    with op.batch_alter_table('proposal_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_campaign_status'))
    op.drop_table('proposal_campaign')
