"""Providers: what writes a unit's files (template today; LLM providers later)."""
