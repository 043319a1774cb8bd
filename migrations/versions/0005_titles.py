"""Craftsman titles: title types (with the three default titles), rounds, nominations and their
attachments, awards.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('title_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('yearly_quota', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('min_skill_level', sa.SmallInteger(), nullable=True),
    sa.Column('competition_top_n', sa.SmallInteger(), nullable=True),
    sa.Column('competition_min_level', sa.String(length=16), nullable=True),
    sa.Column('competition_within_years', sa.SmallInteger(), nullable=True),
    sa.Column('min_years_in_trade', sa.SmallInteger(), nullable=True),
    sa.Column('min_adopted_proposals', sa.SmallInteger(), nullable=True),
    sa.Column('min_verified_savings', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('min_completed_pairs', sa.SmallInteger(), nullable=True),
    sa.Column('validity_years', sa.SmallInteger(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('id <> prerequisite_id', name=op.f('ck_title_type_not_own_prerequisite')),
    sa.CheckConstraint('yearly_quota > 0', name=op.f('ck_title_type_quota_positive')),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['title_type.id'], name=op.f('fk_title_type_prerequisite_id_title_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_type')),
    sa.UniqueConstraint('name', name=op.f('uq_title_type_name'))
    )
    with op.batch_alter_table('title_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_type_level'), ['level'], unique=False)
    op.create_table('title_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_type_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('deadline', models.types.UTCDateTime(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('awarded_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('awarded_count >= 0 AND awarded_count <= quota', name=op.f('ck_title_round_within_quota')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_title_round_opened_by_id_user')),
    sa.ForeignKeyConstraint(['title_type_id'], ['title_type.id'], name=op.f('fk_title_round_title_type_id_title_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_round')),
    sa.UniqueConstraint('title_type_id', 'year', name=op.f('uq_title_round_title_type_id_year'))
    )
    with op.batch_alter_table('title_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_round_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_round_title_type_id'), ['title_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_round_year'), ['year'], unique=False)
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('nominated_by_id', sa.Integer(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('evidence_score', sa.Integer(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_nomination_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['user.id'], name=op.f('fk_nomination_nominated_by_id_user')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_nomination_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['title_round.id'], name=op.f('fk_nomination_round_id_title_round')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_nomination_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination')),
    sa.UniqueConstraint('round_id', 'worker_id', name=op.f('uq_nomination_round_id_worker_id'))
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_worker_id'), ['worker_id'], unique=False)
    op.create_table('nomination_attachment',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_attachment_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_nomination_attachment_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('nomination_id', 'stored_file_id', name=op.f('pk_nomination_attachment'))
    )
    op.create_table('title_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_type_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('certificate_no', sa.String(length=40), nullable=False),
    sa.Column('verification_code', sa.String(length=40), nullable=False),
    sa.Column('award_date', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['user.id'], name=op.f('fk_title_award_awarded_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_title_award_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_title_award_nomination_id_nomination')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_title_award_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['title_round.id'], name=op.f('fk_title_award_round_id_title_round')),
    sa.ForeignKeyConstraint(['title_type_id'], ['title_type.id'], name=op.f('fk_title_award_title_type_id_title_type')),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_title_award_worker_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_award')),
    sa.UniqueConstraint('certificate_no', name=op.f('uq_title_award_certificate_no')),
    sa.UniqueConstraint('title_type_id', 'worker_id', name=op.f('uq_title_award_title_type_id_worker_id')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_title_award_verification_code'))
    )
    with op.batch_alter_table('title_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_award_award_date'), ['award_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_award_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_award_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_award_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_award_title_type_id'), ['title_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_award_worker_id'), ['worker_id'], unique=False)

    # The three titles of domain.md (title types are data; admins edit them afterwards).
    title_type = sa.table(
        "title_type", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("level", sa.String),
        sa.column("yearly_quota", sa.Integer), sa.column("prerequisite_id", sa.Integer),
        sa.column("description", sa.Text), sa.column("min_skill_level", sa.SmallInteger),
        sa.column("competition_top_n", sa.SmallInteger), sa.column("competition_min_level", sa.String),
        sa.column("competition_within_years", sa.SmallInteger), sa.column("min_years_in_trade", sa.SmallInteger),
        sa.column("is_active", sa.Boolean),
    )
    defaults = [
        ("晋江工匠", "city", 20, 4, "city", 5, "晋江市总工会评选的市级工匠。"),
        ("泉州工匠", "prefecture", 3, 5, "prefecture", 8, "泉州市总工会评选的地市级工匠，须已获得晋江工匠称号。"),
        ("福建省金牌工人", "province", 4, 5, "province", 10, "福建省总工会评选的省级称号，须已获得泉州工匠称号。"),
    ]
    op.bulk_insert(title_type, [
        {"name": name, "level": level, "yearly_quota": quota, "min_skill_level": skill, "competition_top_n": 3,
         "competition_min_level": contest, "competition_within_years": 3, "min_years_in_trade": years,
         "description": description, "is_active": True}
        for name, level, quota, skill, contest, years, description in defaults
    ])
    for name, prerequisite in (("泉州工匠", "晋江工匠"), ("福建省金牌工人", "泉州工匠")):
        op.execute(
            title_type.update().where(title_type.c.name == name).values(
                prerequisite_id=sa.select(sa.func.min(title_type.c.id)).where(title_type.c.name == prerequisite)
                .scalar_subquery()))


def downgrade():
    with op.batch_alter_table('title_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_award_worker_id'))
        batch_op.drop_index(batch_op.f('ix_title_award_title_type_id'))
        batch_op.drop_index(batch_op.f('ix_title_award_status'))
        batch_op.drop_index(batch_op.f('ix_title_award_round_id'))
        batch_op.drop_index(batch_op.f('ix_title_award_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_title_award_award_date'))
    op.drop_table('title_award')
    op.drop_table('nomination_attachment')
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_worker_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_status'))
        batch_op.drop_index(batch_op.f('ix_nomination_round_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_enterprise_id'))
    op.drop_table('nomination')
    with op.batch_alter_table('title_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_round_year'))
        batch_op.drop_index(batch_op.f('ix_title_round_title_type_id'))
        batch_op.drop_index(batch_op.f('ix_title_round_status'))
    op.drop_table('title_round')
    with op.batch_alter_table('title_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_type_level'))
    op.drop_table('title_type')
