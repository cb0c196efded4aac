"""Add customers.

Revision ID: 0002
Revises: 0001
Create Date: 2025-10-14
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(200), nullable=False, unique=True),
    )
    op.create_foreign_key("fk_orders_customer", "orders", "customers", ["customer_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("fk_orders_customer", "orders")
    op.drop_table("customers")
