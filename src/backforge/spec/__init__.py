"""Spec: the Project model, loaders per input format, and name sanitizing.

Depends on nothing else in backforge. `load(path)` reads any supported format.
"""

from backforge.spec.model import (
    Database, Endpoint, Field, FieldType, OnDelete, Options, Project, Table,
)
from backforge.spec.names import Names, Rename, resolve

__all__ = ["Database", "Endpoint", "Field", "FieldType", "Names", "OnDelete", "Options",
           "Project", "Rename", "Table", "resolve"]
