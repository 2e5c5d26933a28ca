"""sign-in: throttle rows per scope and name digest, server-side web sessions

The old throttle rows (user names in clear, one namespace for every kind of sign-in) are
dropped rather than converted: each lived 15 minutes at most, so nothing of value is lost,
at worst a running lockout starts again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import qbwc_server.store.models


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('name_digest', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_started_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('locked_until', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('expires_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'name_digest', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_expires_at'), 'login_throttle', ['expires_at'],
                    unique=False)
    op.create_table('web_sessions',
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', qbwc_server.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('token_digest', name=op.f('pk_web_sessions'))
    )
    op.create_index(op.f('ix_web_sessions_expires_at'), 'web_sessions', ['expires_at'],
                    unique=False)
    op.create_index('ix_web_sessions_user', 'web_sessions', ['role', 'user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('web_sessions')
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.Column('locked_until', qbwc_server.store.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle'))
    )
