"""Mentor-apprentice pairing: settings, per-mentor counters, pairs and their history, check-ins,
assessments, excellent-pair rounds and nominations.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('excellent_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('selected_count', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('selected_count >= 0 AND selected_count <= quota', name=op.f('ck_excellent_round_within_quota')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_excellent_round_published_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_excellent_round')),
    sa.UniqueConstraint('year', name=op.f('uq_excellent_round_year'))
    )
    with op.batch_alter_table('excellent_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_excellent_round_published'), ['published'], unique=False)
    op.create_table('mentor_load',
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('open_pairs', sa.Integer(), nullable=False),
    sa.CheckConstraint('open_pairs >= 0', name=op.f('ck_mentor_load_open_pairs_not_negative')),
    sa.ForeignKeyConstraint(['mentor_id'], ['user.id'], name=op.f('fk_mentor_load_mentor_id_user')),
    sa.PrimaryKeyConstraint('mentor_id', name=op.f('pk_mentor_load'))
    )
    op.create_table('mentor_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('apprentice_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.Column('goal_level', sa.SmallInteger(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('mentor_level_at_start', sa.SmallInteger(), nullable=True),
    sa.Column('apprentice_level_at_start', sa.SmallInteger(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('planned_end', sa.Date(), nullable=False),
    sa.Column('checkin_frequency', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mentor_confirmed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('apprentice_confirmed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('activated_on', sa.Date(), nullable=True),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('last_checkin_on', sa.Date(), nullable=True),
    sa.Column('next_checkin_due', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('end_note', sa.String(length=500), nullable=True),
    sa.Column('credit_until', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("checkin_frequency IN ('monthly', 'quarterly')", name=op.f('ck_mentor_pair_frequency_known')),
    sa.CheckConstraint("status IN ('proposed', 'active', 'completed', 'ended_early', 'dissolved')", name=op.f('ck_mentor_pair_status_known')),
    sa.CheckConstraint('mentor_id <> apprentice_id', name=op.f('ck_mentor_pair_not_self')),
    sa.CheckConstraint('planned_end > start_date', name=op.f('ck_mentor_pair_end_after_start')),
    sa.ForeignKeyConstraint(['apprentice_id'], ['user.id'], name=op.f('fk_mentor_pair_apprentice_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mentor_pair_created_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_mentor_pair_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['mentor_id'], ['user.id'], name=op.f('fk_mentor_pair_mentor_id_user')),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_mentor_pair_trade_id_trade')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_pair'))
    )
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_pair_apprentice_id'), ['apprentice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_credit_until'), ['credit_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_ended_on'), ['ended_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_mentor_pair_enterprise_status', ['enterprise_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_next_checkin_due'), ['next_checkin_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_planned_end'), ['planned_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_trade_id'), ['trade_id'], unique=False)
        batch_op.create_index('uq_mentor_pair_open_apprentice_trade', ['apprentice_id', 'trade_id'], unique=True, sqlite_where=sa.text("status IN ('proposed', 'active')"), postgresql_where=sa.text("status IN ('proposed', 'active')"))
    op.create_table('mentorship_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('max_active_apprentices', sa.SmallInteger(), nullable=False),
    sa.Column('grace_days', sa.SmallInteger(), nullable=False),
    sa.Column('dissolution_months', sa.SmallInteger(), nullable=False),
    sa.Column('excellent_quota', sa.Integer(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('dissolution_months BETWEEN 0 AND 6', name=op.f('ck_mentorship_settings_dissolution_range')),
    sa.CheckConstraint('excellent_quota > 0', name=op.f('ck_mentorship_settings_quota_positive')),
    sa.CheckConstraint('grace_days BETWEEN 0 AND 90', name=op.f('ck_mentorship_settings_grace_range')),
    sa.CheckConstraint('max_active_apprentices BETWEEN 1 AND 20', name=op.f('ck_mentorship_settings_max_active_range')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_mentorship_settings_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_settings'))
    )
    op.create_table('excellent_nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('citation', sa.String(length=500), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('nominated_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('selected_by_id', sa.Integer(), nullable=True),
    sa.Column('selected_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_excellent_nomination_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['user.id'], name=op.f('fk_excellent_nomination_nominated_by_id_user')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pair.id'], name=op.f('fk_excellent_nomination_pair_id_mentor_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['excellent_round.id'], name=op.f('fk_excellent_nomination_round_id_excellent_round')),
    sa.ForeignKeyConstraint(['selected_by_id'], ['user.id'], name=op.f('fk_excellent_nomination_selected_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_excellent_nomination')),
    sa.UniqueConstraint('pair_id', name=op.f('uq_excellent_nomination_pair_id'))
    )
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_excellent_nomination_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_excellent_nomination_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_excellent_nomination_selected'), ['selected'], unique=False)
    op.create_table('mentor_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('level_reached', sa.SmallInteger(), nullable=True),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('assessor', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('skill_change_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("grade IN ('excellent', 'pass', 'fail')", name=op.f('ck_mentor_assessment_grade_known')),
    sa.CheckConstraint('score IS NULL OR (score >= 0 AND score <= 100)', name=op.f('ck_mentor_assessment_score_range')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pair.id'], name=op.f('fk_mentor_assessment_pair_id_mentor_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_mentor_assessment_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['skill_change_id'], ['skill_level_change.id'], name=op.f('fk_mentor_assessment_skill_change_id_skill_level_change')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_assessment')),
    sa.UniqueConstraint('pair_id', name=op.f('uq_mentor_assessment_pair_id'))
    )
    with op.batch_alter_table('mentor_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_assessment_grade'), ['grade'], unique=False)
    op.create_table('mentor_checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('checkin_date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('taught', sa.Text(), nullable=False),
    sa.Column('skill_points', sa.String(length=500), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('apprentice_note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('responded_at', models.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'disputed')", name=op.f('ck_mentor_checkin_status_known')),
    sa.CheckConstraint('hours > 0 AND hours <= 300', name=op.f('ck_mentor_checkin_hours_range')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pair.id'], name=op.f('fk_mentor_checkin_pair_id_mentor_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['stored_file.id'], name=op.f('fk_mentor_checkin_photo_id_stored_file')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_mentor_checkin_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_checkin'))
    )
    with op.batch_alter_table('mentor_checkin', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_checkin_pair_date', ['pair_id', 'checkin_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_checkin_pair_id'), ['pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_checkin_status'), ['status'], unique=False)
    op.create_table('pair_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_pair_status_change_actor_id_user')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pair.id'], name=op.f('fk_pair_status_change_pair_id_mentor_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_status_change'))
    )
    with op.batch_alter_table('pair_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_status_change_pair_id'), ['pair_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pair_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pair_status_change_pair_id'))
    op.drop_table('pair_status_change')
    with op.batch_alter_table('mentor_checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_checkin_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_checkin_pair_id'))
        batch_op.drop_index('ix_mentor_checkin_pair_date')
    op.drop_table('mentor_checkin')
    with op.batch_alter_table('mentor_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_assessment_grade'))
    op.drop_table('mentor_assessment')
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_excellent_nomination_selected'))
        batch_op.drop_index(batch_op.f('ix_excellent_nomination_round_id'))
        batch_op.drop_index(batch_op.f('ix_excellent_nomination_enterprise_id'))
    op.drop_table('excellent_nomination')
    op.drop_table('mentorship_settings')
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        batch_op.drop_index('uq_mentor_pair_open_apprentice_trade', sqlite_where=sa.text("status IN ('proposed', 'active')"), postgresql_where=sa.text("status IN ('proposed', 'active')"))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_trade_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_start_date'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_planned_end'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_next_checkin_due'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_mentor_id'))
        batch_op.drop_index('ix_mentor_pair_enterprise_status')
        batch_op.drop_index(batch_op.f('ix_mentor_pair_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_ended_on'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_credit_until'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_apprentice_id'))
    op.drop_table('mentor_pair')
    op.drop_table('mentor_load')
    with op.batch_alter_table('excellent_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_excellent_round_published'))
    op.drop_table('excellent_round')
