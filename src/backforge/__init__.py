"""backforge: turn a project design into a complete, validated backend repository.

    import backforge
    result = backforge.generate("shop.yaml", output="out/shop", on_event=print)

The public surface is deliberately small; everything else is internal and may change.
"""

from backforge.api import GenerateOptions, GenerateResult, generate, load
from backforge.errors import BackforgeError, InputError, SpecError

__all__ = ["BackforgeError", "GenerateOptions", "GenerateResult", "InputError", "SpecError",
           "__version__", "generate", "load"]

__version__ = "0.1.0"
