"""Town union officers and the enterprises' town history (issue 13, "The union's tree").

user_role.town_id names a town union officer's town; enterprise_town_span keeps each period an
enterprise belonged to a town, so that records stay counted for the town of their time. Every
existing enterprise gets one open span in its current town from EARLIEST (2000-01-01 UTC).

Revision ID: 0018_towns
Revises: 0019_activation
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0018_towns'
down_revision = '0019_activation'
branch_labels = None
depends_on = None

EARLIEST = datetime(2000, 1, 1)  # naive UTC, as every UTCDateTime column is stored


def upgrade():
    op.create_table(
        'enterprise_town_span',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('town_id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.DateTime(), nullable=False),
        sa.Column('valid_to', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                                name=op.f('fk_enterprise_town_span_enterprise_id_enterprise'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_enterprise_town_span_town_id_town')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_town_span')),
    )
    op.create_index('ix_enterprise_town_span_enterprise', 'enterprise_town_span',
                    ['enterprise_id', 'valid_from'], unique=False)
    op.create_index('ix_enterprise_town_span_town', 'enterprise_town_span',
                    ['town_id', 'enterprise_id', 'valid_from'], unique=False)
    op.execute(sa.text(
        'INSERT INTO enterprise_town_span (enterprise_id, town_id, valid_from, valid_to) '
        'SELECT id, town_id, :earliest, NULL FROM enterprise').bindparams(earliest=EARLIEST))
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('town_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_role_town_id'), ['town_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_role_town_id_town'), 'town', ['town_id'], ['id'])


def downgrade():
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_role_town_id_town'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_role_town_id'))
        batch_op.drop_column('town_id')
    op.drop_index('ix_enterprise_town_span_town', table_name='enterprise_town_span')
    op.drop_index('ix_enterprise_town_span_enterprise', table_name='enterprise_town_span')
    op.drop_table('enterprise_town_span')
