"""Order status check.

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_check_constraint(
        "ck_orders_status", "orders", "status IN ('open', 'paid', 'shipped', 'cancelled')"
    )


def downgrade() -> None:
    op.drop_constraint("ck_orders_status", "orders")
