"""Verify: run a generated project for real (install, PostgreSQL, migrate, boot, checks)."""
