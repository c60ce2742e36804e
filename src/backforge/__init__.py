"""backforge: turn a project design into a complete, validated backend repository.

    import backforge
    result = backforge.generate("shop.yaml", output="out/shop", on_event=print)

The public surface is deliberately small; everything else is internal and may change.
The api names load lazily so that `import backforge.spec` stays light.
"""

from typing import Any

from backforge.errors import BackforgeError, InputError, SpecError

__all__ = ["BackforgeError", "GenerateOptions", "GenerateResult", "InputError", "SpecError",
           "__version__", "generate", "load"]

__version__ = "0.1.0"

_API_NAMES = {"GenerateOptions", "GenerateResult", "generate", "load"}


def __getattr__(name: str) -> Any:
    if name in _API_NAMES:
        from backforge import api

        return getattr(api, name)
    raise AttributeError(f"module 'backforge' has no attribute {name!r}")
