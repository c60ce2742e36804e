"""Validate: static checks of generated files (presence, syntax, imports/exports,
declared packages), independent of the provider that wrote them."""
