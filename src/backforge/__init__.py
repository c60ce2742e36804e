"""backforge: turn a project design into a complete, validated backend repository.

The public surface is deliberately small; everything else is internal and may change.
"""

from backforge.errors import BackforgeError, InputError, SpecError

__all__ = ["BackforgeError", "InputError", "SpecError", "__version__"]

__version__ = "0.1.0"
