"""Model prices: USD per million input and output tokens, and the cost function the
engine's budget uses.

The built-in table holds list prices for a handful of well-known models, as known
when it was written (2026-11) and not re-checked against the providers' price pages
since: prices change, so check them before relying on `--max-cost`. Edit or extend it with a TOML or JSON file (`--prices FILE` and/or the
`BACKFORGE_PRICES` environment variable), one entry per model:

    # prices.toml                       // prices.json
    ["my-finetune"]                     {"my-finetune": {"input": 0.5, "output": 1.5}}
    input = 0.5
    output = 1.5

A model is looked up by exact name first, then by the longest known prefix (so
`gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). Later files win.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backforge.engine.protocols import Usage
from backforge.errors import InputError

PRICES_ENV = "BACKFORGE_PRICES"


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        return (usage.prompt_tokens * self.input + usage.completion_tokens * self.output) / 1e6


# USD per million input / output tokens; list prices as known in 2026-11 (see the module
# docstring: verify them, override them with a prices file).
BUILTIN_PRICES: Mapping[str, Price] = MappingProxyType({
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "o4-mini": Price(1.10, 4.40),
    "claude-opus-4-1": Price(15.00, 75.00),
    "claude-sonnet-4-5": Price(3.00, 15.00),
    "claude-sonnet-4": Price(3.00, 15.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
    "claude-3-5-haiku": Price(0.80, 4.00),
    "llama-3.3-70b-versatile": Price(0.59, 0.79),
    "llama-3.1-8b-instant": Price(0.05, 0.08),
})


class PricesFileError(InputError):
    """A prices file that cannot be read or does not have the documented shape."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"prices file {path}: {reason}")


class UnknownModelPrice(InputError):
    """--max-cost for a model no price table knows."""

    def __init__(self, model: str) -> None:
        super().__init__(
            f"--max-cost: no price known for model '{model}'; add it to a prices file "
            f"(TOML or JSON: {{\"{model}\": {{\"input\": USD_PER_M, \"output\": USD_PER_M}}}}) "
            f"and pass --prices FILE or set {PRICES_ENV}")


@dataclass(frozen=True)
class PriceTable:
    prices: Mapping[str, Price]

    def lookup(self, model: str) -> Price | None:
        """Exact name, then the longest known name the model starts with; None if unknown."""
        if model in self.prices:
            return self.prices[model]
        matches = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(matches, key=len)] if matches else None

    def cost_function(self, model: str) -> Callable[[Usage], float] | None:
        price = self.lookup(model)
        return price.cost if price is not None else None


def load_prices(path: str | Path) -> dict[str, Price]:
    """Read a TOML (`.toml`) or JSON prices file: {model: {input: USD/M, output: USD/M}}."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricesFileError(path, f"cannot read it ({exc.strerror or exc})") from None
    try:
        data: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise PricesFileError(path, f"not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise PricesFileError(path, "expected a table of models")
    return {str(model): _price(path, str(model), entry) for model, entry in data.items()}


def _price(path: Path, model: str, entry: Any) -> Price:
    if not isinstance(entry, dict) or set(entry) != {"input", "output"}:
        raise PricesFileError(path, f"'{model}' needs exactly `input` and `output` "
                                    "(USD per million tokens)")
    values = [entry["input"], entry["output"]]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
               for v in values):
        raise PricesFileError(path, f"'{model}': prices must be numbers >= 0")
    return Price(float(values[0]), float(values[1]))


def price_table(files: tuple[str | Path, ...] = (),
                env: Mapping[str, str] | None = None) -> PriceTable:
    """The built-in prices, overridden by $BACKFORGE_PRICES, then by `files` in order."""
    env = os.environ if env is None else env
    prices = dict(BUILTIN_PRICES)
    sources = ([env[PRICES_ENV]] if env.get(PRICES_ENV) else []) + list(files)
    for source in sources:
        prices.update(load_prices(source))
    return PriceTable(MappingProxyType(prices))
