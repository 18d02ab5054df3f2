"""Not a migration: a module-level `revision` without a `down_revision`."""

revision = "2025-03-15T10:42:07Z-main-3f2a9c1b7d4e0a6b5c4d3e2f1a0b9c8d7e6f5a4b"
