"""Spec: the Project model, loaders per input format, and name sanitizing.

Depends on nothing else in backforge. `load(path_or_mapping)` reads any
supported format, checks the whole project and returns a `LoadedSpec`.
"""

from backforge.spec.checks import check
from backforge.spec.load import LoadedSpec, load, load_project
from backforge.spec.model import (
    Database,
    Endpoint,
    Field,
    FieldType,
    OnDelete,
    Options,
    Project,
    Table,
)
from backforge.spec.names import Names, Rename, resolve
from backforge.spec.problems import Problem
from backforge.spec.types import ParsedType, UnknownTypeError, parse_type

__all__ = ["Database", "Endpoint", "Field", "FieldType", "LoadedSpec", "Names", "OnDelete",
           "Options", "ParsedType", "Problem", "Project", "Rename", "Table", "UnknownTypeError",
           "check", "load", "load_project", "parse_type", "resolve"]
