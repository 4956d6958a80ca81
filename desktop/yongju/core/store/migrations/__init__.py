"""Alembic migrations of the store's schema (run at open by ``core.store``)."""
