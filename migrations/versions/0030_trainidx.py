"""The training figures and the report count attendance from the index alone (docs/performance.md, "Not yet
measured at scale"): ix_training_attendance_class_status (class_id, status) also carries worker_id,
enterprise_id and hours, so that attendances, people, hours and participation per year read no table row
(SQLite: 43 ms -> 8 ms for the city's year at seed scale 0.1).

Revision ID: 0030_trainidx
Revises: 0029_datav (written on 0025_comp_rewards; re-chained at merge)
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_trainidx'
down_revision = '0029_datav'
branch_labels = None
depends_on = None

OLD = ('class_id', 'status')
NEW = ('class_id', 'status', 'worker_id', 'enterprise_id', 'hours')


def _replace(columns) -> None:
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_training_attendance_class_status')
        batch_op.create_index('ix_training_attendance_class_status', list(columns), unique=False)


def upgrade():
    _replace(NEW)


def downgrade():
    _replace(OLD)
