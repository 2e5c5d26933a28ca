"""The store: SQLAlchemy models, migrations and the named operations the server needs."""
