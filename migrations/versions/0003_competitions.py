"""Skills competitions: competitions, items, prize tiers, registrations and teams, judges, theory and
practical marks and their changes, results, certificates, promotion recommendations.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('registration_opens_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('registration_closes_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('numbers_issued', sa.Integer(), nullable=False),
    sa.Column('min_skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('max_skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('min_age', sa.SmallInteger(), nullable=False),
    sa.Column('max_age', sa.SmallInteger(), nullable=False),
    sa.Column('members_only', sa.Boolean(), nullable=False),
    sa.Column('per_enterprise_cap', sa.Integer(), nullable=True),
    sa.Column('is_team', sa.Boolean(), nullable=False),
    sa.Column('team_min', sa.SmallInteger(), nullable=False),
    sa.Column('team_max', sa.SmallInteger(), nullable=False),
    sa.Column('theory_weight', sa.SmallInteger(), nullable=False),
    sa.Column('practical_weight', sa.SmallInteger(), nullable=False),
    sa.Column('min_judges', sa.SmallInteger(), nullable=False),
    sa.Column('judge_min_level', sa.SmallInteger(), nullable=False),
    sa.Column('promote_top_n', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('signed_off_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_competition_capacity_positive')),
    sa.CheckConstraint('min_age <= max_age', name=op.f('ck_competition_age_range')),
    sa.CheckConstraint('min_judges >= 1', name=op.f('ck_competition_min_judges_positive')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_competition_seats_within_capacity')),
    sa.CheckConstraint('team_min <= team_max', name=op.f('ck_competition_team_range')),
    sa.CheckConstraint('theory_weight + practical_weight = 100', name=op.f('ck_competition_weights_sum_100')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_competition_created_by_id_user')),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_competition_trade_id_trade')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition'))
    )
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_trade_id'), ['trade_id'], unique=False)
    op.create_table('competition_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('weight', sa.SmallInteger(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('weight > 0 AND weight <= 100', name=op.f('ck_competition_item_weight_range')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_item_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_item'))
    )
    with op.batch_alter_table('competition_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_item_competition_id'), ['competition_id'], unique=False)
    op.create_table('competition_judge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_competition_judge_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_judge_competition_id_competition')),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_competition_judge_judge_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_judge')),
    sa.UniqueConstraint('competition_id', 'judge_id', name=op.f('uq_competition_judge_competition_id_judge_id'))
    )
    with op.batch_alter_table('competition_judge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_judge_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_judge_judge_id'), ['judge_id'], unique=False)
    op.create_table('competition_prize_tier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('rank_from', sa.Integer(), nullable=False),
    sa.Column('rank_to', sa.Integer(), nullable=False),
    sa.Column('prize', sa.String(length=20), nullable=False),
    sa.Column('honour', sa.String(length=100), nullable=True),
    sa.CheckConstraint('rank_from >= 1 AND rank_from <= rank_to', name=op.f('ck_competition_prize_tier_rank_range')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_prize_tier_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_prize_tier'))
    )
    with op.batch_alter_table('competition_prize_tier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_prize_tier_competition_id'), ['competition_id'], unique=False)
    op.create_table('competition_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('competitor_no', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('promoted_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('approved_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('team_name', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_competition_registration_approved_by_id_user')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_registration_competition_id_competition')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_competition_registration_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_competition_registration_registered_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_competition_registration_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_registration')),
    sa.UniqueConstraint('competition_id', 'competitor_no', name='one_number'),
    sa.UniqueConstraint('competition_id', 'worker_id', name='one_per_worker')
    )
    with op.batch_alter_table('competition_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_registration_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index('ix_competition_registration_enterprise', ['competition_id', 'enterprise_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_registration_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_competition_registration_queue', ['competition_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_registration_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_registration_worker_id'), ['worker_id'], unique=False)
    op.create_table('competition_trade',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_trade_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_competition_trade_trade_id_trade')),
    sa.PrimaryKeyConstraint('competition_id', 'trade_id', name=op.f('pk_competition_trade'))
    )
    with op.batch_alter_table('competition_trade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_trade_trade_id'), ['trade_id'], unique=False)
    op.create_table('competition_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('issued_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_certificate_registration_id_competition_registration')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_competition_certificate_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_competition_certificate_code')),
    sa.UniqueConstraint('registration_id', 'worker_id', name=op.f('uq_competition_certificate_registration_id_worker_id'))
    )
    with op.batch_alter_table('competition_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_certificate_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_certificate_worker_id'), ['worker_id'], unique=False)
    op.create_table('competition_mark_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('old_mark', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('new_mark', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_competition_mark_change_changed_by_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['competition_item.id'], name=op.f('fk_competition_mark_change_item_id_competition_item')),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_competition_mark_change_judge_id_user')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_mark_change_registration_id_competition_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_mark_change'))
    )
    with op.batch_alter_table('competition_mark_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_mark_change_registration_id'), ['registration_id'], unique=False)
    op.create_table('competition_practical_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mark >= 0 AND mark <= 100', name=op.f('ck_competition_practical_mark_mark_range')),
    sa.ForeignKeyConstraint(['item_id'], ['competition_item.id'], name=op.f('fk_competition_practical_mark_item_id_competition_item')),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_competition_practical_mark_judge_id_user')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_practical_mark_registration_id_competition_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_practical_mark')),
    sa.UniqueConstraint('registration_id', 'judge_id', 'item_id', name=op.f('uq_competition_practical_mark_registration_id_judge_id_item_id'))
    )
    with op.batch_alter_table('competition_practical_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_practical_mark_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_practical_mark_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_practical_mark_registration_id'), ['registration_id'], unique=False)
    op.create_table('competition_promotion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('from_level', sa.SmallInteger(), nullable=True),
    sa.Column('to_level', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('certificate_no', sa.String(length=22), nullable=True),
    sa.Column('issuing_body', sa.String(length=100), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_competition_promotion_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_competition_promotion_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_promotion_registration_id_competition_registration')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_competition_promotion_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_promotion')),
    sa.UniqueConstraint('registration_id', 'worker_id', name=op.f('uq_competition_promotion_registration_id_worker_id'))
    )
    with op.batch_alter_table('competition_promotion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_promotion_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_promotion_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_promotion_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_promotion_worker_id'), ['worker_id'], unique=False)
    op.create_table('competition_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('theory', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('practical', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('judges', sa.SmallInteger(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('prize', sa.String(length=20), nullable=True),
    sa.Column('honour', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_result_competition_id_competition')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_result_registration_id_competition_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_result')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_competition_result_registration_id'))
    )
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_result_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_result_prize'), ['prize'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_result_rank'), ['rank'], unique=False)
        batch_op.create_index('ix_competition_result_ranking', ['competition_id', 'total', 'practical'], unique=False)
    op.create_table('competition_team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_team_member_competition_id_competition')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_team_member_registration_id_competition_registration')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_competition_team_member_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_team_member')),
    sa.UniqueConstraint('competition_id', 'worker_id', name='one_team_per_worker')
    )
    with op.batch_alter_table('competition_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_team_member_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_team_member_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_team_member_worker_id'), ['worker_id'], unique=False)
    op.create_table('competition_theory_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mark >= 0 AND mark <= 100', name=op.f('ck_competition_theory_mark_mark_range')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_competition_theory_mark_entered_by_id_user')),
    sa.ForeignKeyConstraint(['registration_id'], ['competition_registration.id'], name=op.f('fk_competition_theory_mark_registration_id_competition_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_theory_mark')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_competition_theory_mark_registration_id'))
    )


def downgrade():
    op.drop_table('competition_theory_mark')
    with op.batch_alter_table('competition_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_team_member_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_team_member_registration_id'))
        batch_op.drop_index(batch_op.f('ix_competition_team_member_competition_id'))
    op.drop_table('competition_team_member')
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        batch_op.drop_index('ix_competition_result_ranking')
        batch_op.drop_index(batch_op.f('ix_competition_result_rank'))
        batch_op.drop_index(batch_op.f('ix_competition_result_prize'))
        batch_op.drop_index(batch_op.f('ix_competition_result_competition_id'))
    op.drop_table('competition_result')
    with op.batch_alter_table('competition_promotion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_promotion_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_promotion_status'))
        batch_op.drop_index(batch_op.f('ix_competition_promotion_registration_id'))
        batch_op.drop_index(batch_op.f('ix_competition_promotion_enterprise_id'))
    op.drop_table('competition_promotion')
    with op.batch_alter_table('competition_practical_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_practical_mark_registration_id'))
        batch_op.drop_index(batch_op.f('ix_competition_practical_mark_judge_id'))
        batch_op.drop_index(batch_op.f('ix_competition_practical_mark_item_id'))
    op.drop_table('competition_practical_mark')
    with op.batch_alter_table('competition_mark_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_mark_change_registration_id'))
    op.drop_table('competition_mark_change')
    with op.batch_alter_table('competition_certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_certificate_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_certificate_registration_id'))
    op.drop_table('competition_certificate')
    with op.batch_alter_table('competition_trade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_trade_trade_id'))
    op.drop_table('competition_trade')
    with op.batch_alter_table('competition_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_registration_worker_id'))
        batch_op.drop_index(batch_op.f('ix_competition_registration_status'))
        batch_op.drop_index('ix_competition_registration_queue')
        batch_op.drop_index(batch_op.f('ix_competition_registration_enterprise_id'))
        batch_op.drop_index('ix_competition_registration_enterprise')
        batch_op.drop_index(batch_op.f('ix_competition_registration_competition_id'))
    op.drop_table('competition_registration')
    with op.batch_alter_table('competition_prize_tier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_prize_tier_competition_id'))
    op.drop_table('competition_prize_tier')
    with op.batch_alter_table('competition_judge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_judge_judge_id'))
        batch_op.drop_index(batch_op.f('ix_competition_judge_competition_id'))
    op.drop_table('competition_judge')
    with op.batch_alter_table('competition_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_item_competition_id'))
    op.drop_table('competition_item')
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_trade_id'))
        batch_op.drop_index(batch_op.f('ix_competition_status'))
        batch_op.drop_index(batch_op.f('ix_competition_name'))
        batch_op.drop_index(batch_op.f('ix_competition_level'))
        batch_op.drop_index(batch_op.f('ix_competition_held_on'))
    op.drop_table('competition')
