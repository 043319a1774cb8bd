"""Documents people can trust: the excellent-pair certificate's verification code (unique), issued to the
selected nominations of every round whose public notice is already final.

Revision ID: 0014_documents
Revises: 0013_competitions_speed
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0014_documents'
down_revision = '0013_competitions_speed'
branch_labels = None
depends_on = None

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # services.common.verification: no look-alikes


def upgrade():
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_code', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_excellent_nomination_certificate_code'), ['certificate_code'])
    connection = op.get_bind()
    final = connection.execute(sa.text(
        "SELECT n.id FROM excellent_nomination n JOIN public_notice p ON p.subject_type = 'excellent_pairs' "
        "AND p.subject_id = n.round_id WHERE n.selected AND p.status = 'final' AND n.certificate_code IS NULL")).all()
    for (nomination_id,) in final:
        code = "".join(secrets.choice(ALPHABET) for _ in range(12))
        connection.execute(sa.text("UPDATE excellent_nomination SET certificate_code = :code WHERE id = :id"),
                           {"code": code, "id": nomination_id})


def downgrade():
    with op.batch_alter_table('excellent_nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_excellent_nomination_certificate_code'), type_='unique')
        batch_op.drop_column('certificate_code')
