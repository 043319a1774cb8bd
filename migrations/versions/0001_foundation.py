"""Foundation: towns, trades, enterprises, users and roles, audit log, uploaded files,
public notices and objections, skill-level history; reference data (towns, trades).

Revision ID: 0001
Revises: None
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('town',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town')),
    sa.UniqueConstraint('name', name=op.f('uq_town_name'))
    )
    op.create_table('trade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trade')),
    sa.UniqueConstraint('name', name=op.f('uq_trade_name'))
    )
    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('industry', sa.String(length=32), nullable=False),
    sa.Column('is_member', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_enterprise_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_enterprise_credit_code'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_town_id'), ['town_id'], unique=False)
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=True),
    sa.Column('phone', sa.String(length=11), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('employee_no', sa.String(length=32), nullable=True),
    sa.Column('trade_id', sa.Integer(), nullable=True),
    sa.Column('skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('hire_date', sa.Date(), nullable=True),
    sa.Column('trade_since', sa.Date(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', models.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('skill_level IS NULL OR (skill_level >= 0 AND skill_level <= 7)', name=op.f('ck_user_skill_level_on_ladder')),
    sa.CheckConstraint('username IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_user_has_login')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_user_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_user_trade_id_trade')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('enterprise_id', 'employee_no', name=op.f('uq_user_enterprise_id_employee_no')),
    sa.UniqueConstraint('phone', name=op.f('uq_user_phone')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_skill_level'), ['skill_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_trade_id'), ['trade_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', models.types.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_log_actor_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_audit_log_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id'], unique=False)
    op.create_table('public_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('published_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('ends_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('finalised_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['user.id'], name=op.f('fk_public_notice_finalised_by_id_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_public_notice_published_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_notice')),
    sa.UniqueConstraint('subject_type', 'subject_id', name=op.f('uq_public_notice_subject_type_subject_id'))
    )
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_notice_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_notice_status'), ['status'], unique=False)
    op.create_table('skill_level_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('previous_level', sa.SmallInteger(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('certificate_no', sa.String(length=22), nullable=True),
    sa.Column('issuing_body', sa.String(length=100), nullable=True),
    sa.Column('source_type', sa.String(length=32), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_skill_level_change_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_skill_level_change_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_level_change'))
    )
    with op.batch_alter_table('skill_level_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_level_change_effective_date'), ['effective_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_level_change_reason'), ['reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_level_change_user_id'), ['user_id'], unique=False)
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_stored_file_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_stored_file_storage_key'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_file_uploaded_by_id'), ['uploaded_by_id'], unique=False)
    op.create_table('user_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('granted_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_role_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_role')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_user_role_user_id_role'))
    )
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_role_user_id'), ['user_id'], unique=False)
    op.create_table('objection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('objector_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['public_notice.id'], name=op.f('fk_objection_notice_id_public_notice')),
    sa.ForeignKeyConstraint(['objector_id'], ['user.id'], name=op.f('fk_objection_objector_id_user')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_objection_resolved_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection'))
    )
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objection_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_objector_id'), ['objector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_status'), ['status'], unique=False)

    # Reference data every instance needs (a copy, so later code changes do not rewrite history).
    towns = ("青阳街道", "梅岭街道", "西园街道", "罗山街道", "灵源街道", "新塘街道", "陈埭镇", "池店镇",
             "安海镇", "磁灶镇", "内坑镇", "紫帽镇", "东石镇", "永和镇", "英林镇", "金井镇", "龙湖镇",
             "深沪镇", "西滨镇")
    trades = ("制鞋工", "运动鞋制作工", "缝纫工", "服装制版师", "纺织纺纱工", "织布工", "印染工", "电工",
              "焊工", "钳工", "数控车工", "机修工", "模具工", "陶瓷成型工", "食品检验工", "叉车司机",
              "质检员", "化学检验员")
    town_table = sa.table("town", sa.column("name", sa.String), sa.column("sort_order", sa.Integer))
    trade_table = sa.table("trade", sa.column("name", sa.String), sa.column("is_active", sa.Boolean))
    op.bulk_insert(town_table, [{"name": n, "sort_order": i} for i, n in enumerate(towns)])
    op.bulk_insert(trade_table, [{"name": n, "is_active": True} for n in trades])


def downgrade():
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objection_status'))
        batch_op.drop_index(batch_op.f('ix_objection_objector_id'))
        batch_op.drop_index(batch_op.f('ix_objection_notice_id'))
    op.drop_table('objection')
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_role_role'))
    op.drop_table('user_role')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_stored_file_sha256'))
    op.drop_table('stored_file')
    with op.batch_alter_table('skill_level_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_level_change_user_id'))
        batch_op.drop_index(batch_op.f('ix_skill_level_change_reason'))
        batch_op.drop_index(batch_op.f('ix_skill_level_change_effective_date'))
    op.drop_table('skill_level_change')
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_notice_status'))
        batch_op.drop_index(batch_op.f('ix_public_notice_ends_at'))
    op.drop_table('public_notice')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index(batch_op.f('ix_audit_log_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))
    op.drop_table('audit_log')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_trade_id'))
        batch_op.drop_index(batch_op.f('ix_user_skill_level'))
        batch_op.drop_index(batch_op.f('ix_user_name'))
        batch_op.drop_index(batch_op.f('ix_user_is_active'))
        batch_op.drop_index(batch_op.f('ix_user_enterprise_id'))
    op.drop_table('user')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_town_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_name'))
        batch_op.drop_index(batch_op.f('ix_enterprise_is_active'))
        batch_op.drop_index(batch_op.f('ix_enterprise_industry'))
    op.drop_table('enterprise')
    op.drop_table('trade')
    op.drop_table('town')
