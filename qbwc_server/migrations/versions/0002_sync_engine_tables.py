"""sync engine tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import qbwc_server.store.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('qb_id', sa.String(length=40), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_change_feed_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_feed'))
    )
    with op.batch_alter_table('change_feed', schema=None) as batch_op:
        batch_op.create_index('ix_change_feed_company_id', ['company_id', 'id'], unique=False)

    op.create_table('sync_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('qb_id', sa.String(length=40), nullable=True),
    sa.Column('qb_version', sa.String(length=20), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('identity', sa.String(length=40), nullable=True),
    sa.Column('label', sa.String(length=250), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), nullable=False),
    sa.Column('qb_modified_text', sa.String(length=40), nullable=True),
    sa.Column('push_state', sa.String(length=12), nullable=False),
    sa.Column('push_action', sa.String(length=20), nullable=True),
    sa.Column('push_error', sa.Text(), nullable=True),
    sa.Column('push_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('queue_item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_sync_records_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_records'))
    )
    with op.batch_alter_table('sync_records', schema=None) as batch_op:
        batch_op.create_index('ix_sync_records_push', ['company_id', 'push_state', 'kind'], unique=False)
        batch_op.create_index('uq_sync_records_external_id', ['company_id', 'kind', 'external_id'], unique=True, sqlite_where=sa.text('external_id IS NOT NULL'), postgresql_where=sa.text('external_id IS NOT NULL'))
        batch_op.create_index('uq_sync_records_qb_id', ['company_id', 'kind', 'qb_id'], unique=True, sqlite_where=sa.text('qb_id IS NOT NULL'), postgresql_where=sa.text('qb_id IS NOT NULL'))

    op.create_table('sync_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('directions', sa.Text(), nullable=False),
    sa.Column('payment_account', sa.String(length=200), nullable=True),
    sa.Column('deposit_account', sa.String(length=200), nullable=True),
    sa.Column('sync_after', sa.String(length=10), nullable=True),
    sa.Column('batch_size', sa.Integer(), nullable=False),
    sa.Column('page_size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_sync_settings_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_sync_settings'))
    )
    op.create_table('sync_watermarks',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('modified_text', sa.String(length=40), nullable=True),
    sa.Column('history_until', sa.String(length=10), nullable=True),
    sa.Column('updated_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_sync_watermarks_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', 'kind', name=op.f('pk_sync_watermarks'))
    )
    with op.batch_alter_table('qbwc_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan', sa.Text(), nullable=True))

    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meta', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.drop_column('meta')

    with op.batch_alter_table('qbwc_sessions', schema=None) as batch_op:
        batch_op.drop_column('plan')

    op.drop_table('sync_watermarks')
    op.drop_table('sync_settings')
    with op.batch_alter_table('sync_records', schema=None) as batch_op:
        batch_op.drop_index('uq_sync_records_qb_id', sqlite_where=sa.text('qb_id IS NOT NULL'), postgresql_where=sa.text('qb_id IS NOT NULL'))
        batch_op.drop_index('uq_sync_records_external_id', sqlite_where=sa.text('external_id IS NOT NULL'), postgresql_where=sa.text('external_id IS NOT NULL'))
        batch_op.drop_index('ix_sync_records_push')

    op.drop_table('sync_records')
    with op.batch_alter_table('change_feed', schema=None) as batch_op:
        batch_op.drop_index('ix_change_feed_company_id')

    op.drop_table('change_feed')
