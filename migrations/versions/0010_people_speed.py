"""People search, admin home and audit log at the city's scale (docs/domain.md, "Scale the platform is
built for"): prefix indexes for names, employee numbers, usernames and enterprises (PostgreSQL:
varchar_pattern_ops, usable for LIKE 'x%' under any collation; SQLite searches by a range on plain
indexes), the phone's last four digits as a generated, indexed column, employee numbers stored
normalised (NFKC, trimmed, upper case), the home pages' counts of accounts as rows (models.counts), and
indexes that end in `id` for keyset pages (an enterprise's people; the audit log by actor, action, object).

Revision ID: 0008_people_speed
Revises: 0009_workdays
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0008_people_speed'
down_revision = '0009_workdays'
branch_labels = None
depends_on = None

PATTERN_INDEXES = (  # PostgreSQL only: (index, table, column)
    ('ix_user_name_prefix', 'user', 'name'),
    ('ix_user_employee_no_prefix', 'user', 'employee_no'),
    ('ix_user_username_prefix', 'user', 'username'),
    ('ix_enterprise_name_prefix', 'enterprise', 'name'),
    ('ix_enterprise_credit_code_prefix', 'enterprise', 'credit_code'),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _normalise(number: str) -> str:
    """Written out here, not imported (services.common.validators.normalize_employee_no): a migration
    must not change when the application does."""
    return ' '.join(unicodedata.normalize('NFKC', number).split()).upper()


def _normalise_employee_numbers() -> None:
    """Store every employee number normalised; a number whose normalised form another person of the
    same enterprise already has stays as it is (unique per enterprise; HR resolves it by editing)."""
    bind = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('enterprise_id', sa.Integer),
                    sa.column('employee_no', sa.String))
    rows = bind.execute(sa.select(user.c.id, user.c.enterprise_id, user.c.employee_no)
                        .where(user.c.employee_no.is_not(None))).all()
    taken = {(enterprise_id, number) for _id, enterprise_id, number in rows}
    changes = []
    for user_id, enterprise_id, number in rows:
        normal = _normalise(number) or None
        if normal != number and (enterprise_id, normal) not in taken:
            taken.discard((enterprise_id, number))
            taken.add((enterprise_id, normal))
            changes.append({'user_id': user_id, 'number': normal})
    if changes:
        bind.execute(user.update().where(user.c.id == sa.bindparam('user_id'))
                     .values(employee_no=sa.bindparam('number')), changes)


def _count_accounts() -> None:
    """The counts as they stand (models.counts.recount_accounts, written out): city-wide (0) active
    accounts and per role, per enterprise its active workers per skill level."""
    op.execute("""
        INSERT INTO account_count (enterprise_id, key, n)
        SELECT 0, 'all', count(*) FROM "user" WHERE is_active
        UNION ALL
        SELECT 0, user_role.role, count(*) FROM user_role JOIN "user" ON "user".id = user_role.user_id
        WHERE "user".is_active GROUP BY user_role.role
        UNION ALL
        SELECT "user".enterprise_id, CASE WHEN "user".skill_level IS NULL THEN 'level:none'
               ELSE 'level:' || CAST("user".skill_level AS VARCHAR(4)) END, count(*)
        FROM user_role JOIN "user" ON "user".id = user_role.user_id
        WHERE "user".is_active AND "user".enterprise_id IS NOT NULL AND user_role.role = 'worker'
        GROUP BY "user".enterprise_id, "user".skill_level
    """)


def upgrade():
    # Stored on PostgreSQL; on SQLite, ALTER TABLE can only add a virtual generated column (indexed the same).
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_tail', sa.String(length=4), sa.Computed(
            'substr(phone, length(phone) - 3)', persisted=True if _postgresql() else None), nullable=True))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_phone_tail'), ['phone_tail'], unique=False)
        # An enterprise's people newest first (keyset pages): the enterprise index ends in the id.
        batch_op.drop_index('ix_user_enterprise_id')
        batch_op.create_index('ix_user_enterprise_id_id', ['enterprise_id', 'id'], unique=False)
    _normalise_employee_numbers()
    if _postgresql():
        for name, table, column in PATTERN_INDEXES:
            op.create_index(name, table, [column], unique=False,
                            postgresql_ops={column: 'varchar_pattern_ops'})
    else:
        with op.batch_alter_table('user', schema=None) as batch_op:
            batch_op.create_index('ix_user_employee_no', ['employee_no'], unique=False)

    op.create_table('account_count',
    sa.Column('enterprise_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('enterprise_id', 'key', name=op.f('pk_account_count'))
    )
    _count_accounts()

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_actor_id')
        batch_op.drop_index('ix_audit_log_action')
        batch_op.drop_index('ix_audit_log_object')
        batch_op.create_index('ix_audit_log_actor_id_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_action_id', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index('ix_audit_log_action_id')
        batch_op.drop_index('ix_audit_log_actor_id_id')
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_log_action', ['action'], unique=False)
        batch_op.create_index('ix_audit_log_actor_id', ['actor_id'], unique=False)

    op.drop_table('account_count')
    if _postgresql():
        for name, table, _column in reversed(PATTERN_INDEXES):
            op.drop_index(name, table_name=table)
    else:
        with op.batch_alter_table('user', schema=None) as batch_op:
            batch_op.drop_index('ix_user_employee_no')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('ix_user_enterprise_id_id')
        batch_op.create_index('ix_user_enterprise_id', ['enterprise_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_user_phone_tail'))
    # SQLite drops the generated column in place: a batch copy of "user" would have to drop the table
    # every other table refers to.
    op.drop_column('user', 'phone_tail') if _postgresql() else op.execute('ALTER TABLE "user" DROP COLUMN phone_tail')
