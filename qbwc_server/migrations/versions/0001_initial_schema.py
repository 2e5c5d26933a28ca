"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import qbwc_server.store.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_users')),
    sa.UniqueConstraint('username', name=op.f('uq_admin_users_username'))
    )
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('file_id', sa.String(length=38), nullable=False),
    sa.Column('cadence_minutes', sa.Integer(), nullable=False),
    sa.Column('company_file_path', sa.String(length=500), nullable=False),
    sa.Column('is_paused', sa.Boolean(), nullable=False),
    sa.Column('sync_requested', sa.Boolean(), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('qb_product_name', sa.String(length=200), nullable=True),
    sa.Column('qb_country', sa.String(length=10), nullable=True),
    sa.Column('qb_versions', sa.String(length=500), nullable=True),
    sa.Column('qb_company_name', sa.String(length=200), nullable=True),
    sa.Column('qb_file_id', sa.String(length=38), nullable=True),
    sa.Column('qb_file_path', sa.String(length=500), nullable=True),
    sa.Column('last_contact_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('last_sync_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('file_id', name=op.f('uq_companies_file_id')),
    sa.UniqueConstraint('name', name=op.f('uq_companies_name')),
    sa.UniqueConstraint('username', name=op.f('uq_companies_username'))
    )
    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.String(length=38), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('locked_until', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle'))
    )
    op.create_table('qbwc_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('ticket_digest', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('client_version', sa.String(length=50), nullable=True),
    sa.Column('company_file', sa.String(length=500), nullable=True),
    sa.Column('qbxml_country', sa.String(length=10), nullable=True),
    sa.Column('qbxml_major', sa.Integer(), nullable=True),
    sa.Column('qbxml_minor', sa.Integer(), nullable=True),
    sa.Column('pending_item_id', sa.Integer(), nullable=True),
    sa.Column('requests_sent', sa.Integer(), nullable=False),
    sa.Column('responses_received', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('hresult', sa.String(length=20), nullable=True),
    sa.Column('started_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('ended_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_qbwc_sessions_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qbwc_sessions')),
    sa.UniqueConstraint('ticket_digest', name=op.f('uq_qbwc_sessions_ticket_digest'))
    )
    with op.batch_alter_table('qbwc_sessions', schema=None) as batch_op:
        batch_op.create_index('uq_qbwc_sessions_live_company', ['company_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('request_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=100), nullable=False),
    sa.Column('request_id', sa.String(length=50), nullable=False),
    sa.Column('request_xml', sa.Text(), nullable=False),
    sa.Column('is_write', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('response_xml', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('sent_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('completed_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_request_queue_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_queue'))
    )
    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.create_index('ix_request_queue_company_state', ['company_id', 'state', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_request_queue_company_state')

    op.drop_table('request_queue')
    with op.batch_alter_table('qbwc_sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_qbwc_sessions_live_company', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.drop_table('qbwc_sessions')
    op.drop_table('login_throttle')
    op.drop_table('installation')
    op.drop_table('companies')
    op.drop_table('admin_users')
