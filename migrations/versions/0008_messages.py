"""The message centre and outbound notifications: messages, deliveries (the send log), channel
configuration, people's channel choices, reminders sent; an optional e-mail address per person.

Revision ID: 0008_messages
Revises: 0007_competition_prizes
"""
import sqlalchemy as sa
from alembic import op

import models.types  # noqa: F401  (custom column types)

revision = '0008_messages'
down_revision = '0007_competition_prizes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_config',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_channel_config_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_channel_config_town_id_town'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_config')),
    sa.UniqueConstraint('channel', 'enterprise_id', 'town_id', name=op.f('uq_channel_config_channel_enterprise_id_town_id'))
    )
    with op.batch_alter_table('channel_config', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_config_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_config_town_id'), ['town_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.JSON(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=True),
    sa.Column('link', sa.JSON(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('read_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_message_recipient_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_inbox', ['recipient_id', 'id'], unique=False)
        batch_op.create_index('ix_message_unread', ['recipient_id', 'read_at'], unique=False)

    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'channel', name=op.f('pk_notification_preference'))
    )
    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_reminder_sent_recipient_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    sa.UniqueConstraint('kind', 'object_id', 'recipient_id', 'due_on', name=op.f('uq_reminder_sent_kind_object_id_recipient_id_due_on'))
    )
    op.create_table('message_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('config_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', models.types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['config_id'], ['channel_config.id'], name=op.f('fk_message_delivery_config_id_channel_config'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_message_delivery_message_id_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_delivery'))
    )
    with op.batch_alter_table('message_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_delivery_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_message_delivery_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_delivery_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=120), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('message_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_delivery_message_id'))
        batch_op.drop_index('ix_message_delivery_due')
        batch_op.drop_index(batch_op.f('ix_message_delivery_created_at'))

    op.drop_table('message_delivery')
    op.drop_table('reminder_sent')
    op.drop_table('notification_preference')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_unread')
        batch_op.drop_index('ix_message_inbox')

    op.drop_table('message')
    with op.batch_alter_table('channel_config', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_config_town_id'))
        batch_op.drop_index(batch_op.f('ix_channel_config_enterprise_id'))

    op.drop_table('channel_config')
