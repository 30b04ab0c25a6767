"""`clearsite db upgrade` and the first step of `clearsite run`: see core.schema."""

from core.schema import alembic_config, downgrade, upgrade

__all__ = ["alembic_config", "downgrade", "upgrade"]
