"""Competitions store prize codes (first, second, third, honourable: models.vocabulary.PRIZES) like
proposals, instead of the Chinese prize text: prize tiers and results are converted, and back on
downgrade. Data only (no column changes); a text that is not one of the four prizes stays as it is.

Revision ID: 0007_competition_prizes
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_competition_prizes'
down_revision = '0006'
branch_labels = None
depends_on = None

# Written out here, not imported: a migration must not change when the application's vocabulary does.
CODES = {'一等奖': 'first', '二等奖': 'second', '三等奖': 'third', '优秀奖': 'honourable'}
TABLES = ('competition_prize_tier', 'competition_result')


def _convert(mapping: dict[str, str]) -> None:
    for name in TABLES:
        table = sa.table(name, sa.column('prize', sa.String))
        for old, new in mapping.items():
            op.execute(table.update().where(table.c.prize == old).values(prize=new))


def upgrade():
    _convert(CODES)


def downgrade():
    _convert({code: text for text, code in CODES.items()})
