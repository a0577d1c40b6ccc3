"""Operations helpers: local servers (PostgreSQL) for tests and `make prod-local`."""
