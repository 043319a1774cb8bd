"""Typed input is never wrong or lost (issue 12, items 2, 9, 10): one-time form tokens (form_token: a
double click or two tabs create one record), and identifiers stored the one normalised way
(services.common.validators.normalize_identifier): NFKC, no white space at all (also inside), upper
case where case does not matter; phones without dashes or +86.

A stored value whose normalised form another row already holds where it must be unique (phone,
credit code, an enterprise's employee number) stays as it is, for a person to resolve.

Revision ID: 0015_input
Revises: 0016_rules (landed first)
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0015_input'
down_revision = '0016_rules'
branch_labels = None
depends_on = None


def _identifier(value: str, upper: bool = True) -> str:
    """Written out here, not imported: a migration must not change when the application does."""
    text = re.sub(r'\s+', '', unicodedata.normalize('NFKC', value))
    return text.upper() if upper else text


def _phone(value: str) -> str:
    phone = _identifier(value, upper=False).replace('-', '')
    for prefix in ('+86', '0086'):
        if phone.startswith(prefix):
            phone = phone[len(prefix):]
    return phone


def _normalise(table: str, column: str, normalise, scope: str | None = None, unique: bool = True) -> None:
    """Store `column` of `table` normalised; with `unique`, a value whose normalised form is taken (within
    `scope`, a column, when given) stays as it is."""
    bind = op.get_bind()
    columns = [sa.column('id', sa.Integer), sa.column(column, sa.String)]
    if scope:
        columns.append(sa.column(scope, sa.Integer))
    t = sa.table(table, *columns)
    rows = bind.execute(sa.select(*t.c).where(t.c[column].is_not(None))).all()
    key = (lambda row: (getattr(row, scope), getattr(row, column))) if scope else (lambda row: getattr(row, column))
    taken = {key(row) for row in rows}
    changes = []
    for row in rows:
        value = getattr(row, column)
        normal = normalise(value)
        if normal == value or not normal:
            continue
        new_key = (getattr(row, scope), normal) if scope else normal
        if unique and new_key in taken:
            continue
        taken.discard(key(row))
        taken.add(new_key)
        changes.append({'row_id': row.id, 'value': normal})
    if changes:
        bind.execute(t.update().where(t.c.id == sa.bindparam('row_id')).values({column: sa.bindparam('value')}),
                     changes)


def upgrade():
    op.create_table(
        'form_token',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=True),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('used_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_form_token_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_form_token')),
    )
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_token_used_at'), ['used_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_token_user_id'), ['user_id'], unique=False)
    _normalise('user', 'employee_no', _identifier, scope='enterprise_id')
    _normalise('user', 'phone', _phone)
    _normalise('enterprise', 'credit_code', _identifier)
    _normalise('competition_promotion', 'certificate_no', _identifier, unique=False)
    _normalise('skill_level_change', 'certificate_no', _identifier, unique=False)


def downgrade():
    # The normalised identifiers stay normalised (the earlier code reads them the same).
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_form_token_used_at'))
    op.drop_table('form_token')
