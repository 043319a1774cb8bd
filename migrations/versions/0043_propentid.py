"""An index on proposal (enterprise_id, id): HR's proposal list pages an enterprise's proposals newest first
(keyset pages by id, services.proposals.listing); without it PostgreSQL walked the primary key backwards
through the other enterprises' proposals (9,000 rows for a page of 21 at scale 1.0).

Revision ID: 0043_propentid
Revises: 0042_simtitle
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0043_propentid'
down_revision = '0042_simtitle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_proposal_by_enterprise_id', 'proposal', ['enterprise_id', 'id'])


def downgrade():
    op.drop_index('ix_proposal_by_enterprise_id', table_name='proposal')
