"""Initial schema."""

revision = "0001"


def upgrade() -> None:
    pass
