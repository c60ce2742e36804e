"""Plan: which modules a stack has, the units they split into, and the unit DAG.

Depends on spec only. Stacks supply their module table as `ModuleDef` data.
"""

from backforge.plan.build import build, enabled_modules
from backforge.plan.model import ModuleDef, Plan, Shared, StackLayout, Unit, UnitFiles

__all__ = ["ModuleDef", "Plan", "Shared", "StackLayout", "Unit", "UnitFiles", "build",
           "enabled_modules"]
