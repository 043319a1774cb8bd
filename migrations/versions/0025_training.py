"""Skills training (issue 15): programmes with owners, classes, enrolments, attendance, costs, education
upgrades; the union's subsidy on a skill-level change.

Revision ID: 0025_training
Revises: 0024_owners
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0025_training'
down_revision = '0024_owners'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('min_skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('max_skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('target_level', sa.SmallInteger(), nullable=True),
    sa.Column('self_enrol', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('enrol_opens_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('enrol_closes_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('funding_source', sa.String(length=16), nullable=False),
    sa.Column('completion_percent', sa.SmallInteger(), nullable=False),
    sa.Column('assessment_required', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('finished_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('owner_level', sa.String(length=16), server_default='city', nullable=False),
    sa.Column('owner_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('owner_town_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(owner_level = 'city' AND owner_enterprise_id IS NULL AND owner_town_id IS NULL) OR (owner_level = 'town' AND owner_town_id IS NOT NULL AND owner_enterprise_id IS NULL) OR (owner_level = 'enterprise' AND owner_enterprise_id IS NOT NULL AND owner_town_id IS NULL)", name=op.f('ck_training_programme_owner')),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_training_programme_budget_not_negative')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_training_programme_capacity_positive')),
    sa.CheckConstraint('completion_percent >= 1 AND completion_percent <= 100', name=op.f('ck_training_programme_completion_range')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_training_programme_seats_within_capacity')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_training_programme_created_by_id_user')),
    sa.ForeignKeyConstraint(['owner_enterprise_id'], ['enterprise.id'], name=op.f('fk_training_programme_owner_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['owner_town_id'], ['town.id'], name=op.f('fk_training_programme_owner_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_programme'))
    )
    with op.batch_alter_table('training_programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_programme_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programme_name'), ['name'], unique=False)
        batch_op.create_index('ix_training_programme_owner', ['owner_level', 'owner_enterprise_id', 'owner_town_id', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programme_owner_enterprise_id'), ['owner_enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programme_owner_town_id'), ['owner_town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programme_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programme_status'), ['status'], unique=False)

    op.create_table('education_upgrade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('previous_education', sa.String(length=24), nullable=True),
    sa.Column('education', sa.String(length=24), nullable=False),
    sa.Column('school', sa.String(length=100), nullable=False),
    sa.Column('graduated_on', sa.Date(), nullable=False),
    sa.Column('evidence_file_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('subsidy', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('subsidy IS NULL OR subsidy >= 0', name=op.f('ck_education_upgrade_subsidy_not_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_education_upgrade_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_file.id'], name=op.f('fk_education_upgrade_evidence_file_id_stored_file')),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_education_upgrade_programme_id_training_programme')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_education_upgrade_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_education_upgrade_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_education_upgrade'))
    )
    with op.batch_alter_table('education_upgrade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_education_upgrade_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_education_upgrade_graduated_on'), ['graduated_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_education_upgrade_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_education_upgrade_worker_id'), ['worker_id'], unique=False)

    op.create_table('training_class',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('starts_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('ends_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('trainer', sa.String(length=100), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('assistant_id', sa.Integer(), nullable=True),
    sa.Column('signin_key', sa.String(length=64), nullable=True),
    sa.Column('signin_opened_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('signin_closed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_training_class_capacity_positive')),
    sa.CheckConstraint('hours > 0 AND hours <= 24', name=op.f('ck_training_class_hours_range')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_training_class_time_order')),
    sa.ForeignKeyConstraint(['assistant_id'], ['user.id'], name=op.f('fk_training_class_assistant_id_user')),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_training_class_programme_id_training_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_class'))
    )
    with op.batch_alter_table('training_class', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_class_assistant_id'), ['assistant_id'], unique=False)
        batch_op.create_index('ix_training_class_programme_start', ['programme_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_class_starts_at'), ['starts_at'], unique=False)

    op.create_table('training_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('funding_source', sa.String(length=16), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('confirmation_file_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_training_cost_amount_positive')),
    sa.ForeignKeyConstraint(['confirmation_file_id'], ['stored_file.id'], name=op.f('fk_training_cost_confirmation_file_id_stored_file')),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_training_cost_programme_id_training_programme')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_training_cost_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_cost'))
    )
    with op.batch_alter_table('training_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_cost_funding_source'), ['funding_source'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_cost_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_cost_spent_on'), ['spent_on'], unique=False)

    op.create_table('training_enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('promoted_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('ended_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('assessment_passed', sa.Boolean(), nullable=True),
    sa.Column('assessment_score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('assessed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('certificate_code', sa.String(length=32), nullable=True),
    sa.Column('certificate_revoked_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('assessment_score IS NULL OR (assessment_score >= 0 AND assessment_score <= 100)', name=op.f('ck_training_enrolment_score_range')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['user.id'], name=op.f('fk_training_enrolment_assessed_by_id_user')),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['user.id'], name=op.f('fk_training_enrolment_enrolled_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_training_enrolment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_training_enrolment_programme_id_training_programme')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_training_enrolment_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_enrolment')),
    sa.UniqueConstraint('certificate_code', name=op.f('uq_training_enrolment_certificate_code')),
    sa.UniqueConstraint('programme_id', 'worker_id', name=op.f('uq_training_enrolment_programme_id_worker_id'))
    )
    with op.batch_alter_table('training_enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_enrolment_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index('ix_training_enrolment_enterprise', ['programme_id', 'enterprise_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolment_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index('ix_training_enrolment_queue', ['programme_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolment_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolment_worker_id'), ['worker_id'], unique=False)

    op.create_table('training_programme_trade',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_training_programme_trade_programme_id_training_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_training_programme_trade_trade_id_trade')),
    sa.PrimaryKeyConstraint('programme_id', 'trade_id', name=op.f('pk_training_programme_trade'))
    )
    with op.batch_alter_table('training_programme_trade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_programme_trade_trade_id'), ['trade_id'], unique=False)

    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('signed_in_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('signed_out_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_training_attendance_hours_not_negative')),
    sa.ForeignKeyConstraint(['class_id'], ['training_class.id'], name=op.f('fk_training_attendance_class_id_training_class'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['training_enrolment.id'], name=op.f('fk_training_attendance_enrolment_id_training_enrolment')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_training_attendance_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['programme_id'], ['training_programme.id'], name=op.f('fk_training_attendance_programme_id_training_programme')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_training_attendance_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_training_attendance_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('class_id', 'worker_id', name=op.f('uq_training_attendance_class_id_worker_id'))
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_training_attendance_class_status', ['class_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_training_attendance_programme_worker', ['programme_id', 'worker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_worker_id'), ['worker_id'], unique=False)

    with op.batch_alter_table('skill_level_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subsidy', sa.Numeric(precision=14, scale=2), nullable=True))



def downgrade():
    with op.batch_alter_table('skill_level_change', schema=None) as batch_op:
        batch_op.drop_column('subsidy')

    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_worker_id'))
        batch_op.drop_index('ix_training_attendance_programme_worker')
        batch_op.drop_index(batch_op.f('ix_training_attendance_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_enrolment_id'))
        batch_op.drop_index('ix_training_attendance_class_status')

    op.drop_table('training_attendance')
    with op.batch_alter_table('training_programme_trade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_programme_trade_trade_id'))

    op.drop_table('training_programme_trade')
    with op.batch_alter_table('training_enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_enrolment_worker_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolment_status'))
        batch_op.drop_index('ix_training_enrolment_queue')
        batch_op.drop_index(batch_op.f('ix_training_enrolment_programme_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolment_enterprise_id'))
        batch_op.drop_index('ix_training_enrolment_enterprise')
        batch_op.drop_index(batch_op.f('ix_training_enrolment_completed_at'))

    op.drop_table('training_enrolment')
    with op.batch_alter_table('training_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_cost_spent_on'))
        batch_op.drop_index(batch_op.f('ix_training_cost_programme_id'))
        batch_op.drop_index(batch_op.f('ix_training_cost_funding_source'))

    op.drop_table('training_cost')
    with op.batch_alter_table('training_class', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_class_starts_at'))
        batch_op.drop_index('ix_training_class_programme_start')
        batch_op.drop_index(batch_op.f('ix_training_class_assistant_id'))

    op.drop_table('training_class')
    with op.batch_alter_table('education_upgrade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_education_upgrade_worker_id'))
        batch_op.drop_index(batch_op.f('ix_education_upgrade_programme_id'))
        batch_op.drop_index(batch_op.f('ix_education_upgrade_graduated_on'))
        batch_op.drop_index(batch_op.f('ix_education_upgrade_enterprise_id'))

    op.drop_table('education_upgrade')
    with op.batch_alter_table('training_programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_programme_status'))
        batch_op.drop_index(batch_op.f('ix_training_programme_starts_on'))
        batch_op.drop_index(batch_op.f('ix_training_programme_owner_town_id'))
        batch_op.drop_index(batch_op.f('ix_training_programme_owner_enterprise_id'))
        batch_op.drop_index('ix_training_programme_owner')
        batch_op.drop_index(batch_op.f('ix_training_programme_name'))
        batch_op.drop_index(batch_op.f('ix_training_programme_kind'))

    op.drop_table('training_programme')
