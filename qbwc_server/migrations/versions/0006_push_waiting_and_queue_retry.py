"""push waits measured from when they began; hand-queued requests retried after a lock

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import qbwc_server.store.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_since', qbwc_server.store.models.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('waiting_for', sa.Integer(), nullable=True))
    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', qbwc_server.store.models.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('request_queue', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
    with op.batch_alter_table('sync_records', schema=None) as batch_op:
        batch_op.drop_column('waiting_for')
        batch_op.drop_column('waiting_since')
