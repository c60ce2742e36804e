"""A provider wrapper for incremental runs: unchanged units are served from the
manifest's base copies with no inner call; pinned files (applied migrations,
which are append-only) replace or extend what a unit generates.

It also remembers the generation it returned last for every unit, so the
manifest can record each unit's files and declared packages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from backforge.engine.protocols import GeneratedFile, Generation, Provider, UnitContext
from backforge.plan.model import Unit


class ReplayProvider:
    def __init__(self, inner: Provider, replays: Mapping[str, Generation] | None = None,
                 pinned: Mapping[str, tuple[GeneratedFile, ...]] | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.replays = dict(replays or {})
        self.pinned = dict(pinned or {})
        self.calls = 0  # inner provider calls
        self.replayed: set[str] = set()
        self.last: dict[str, Generation] = {}

    async def generate(self, unit: Unit, ctx: UnitContext) -> Generation:
        replay = self.replays.get(unit.id)
        if replay is not None and ctx.attempt == 1:
            self.replayed.add(unit.id)
            generation = replay
        else:
            # A replay that failed validation (the tree around it changed) gets a real
            # call on the next attempt rather than the same bytes again.
            self.replayed.discard(unit.id)
            self.calls += 1
            generation = await self.inner.generate(unit, ctx)
        generation = pin(generation, self.pinned.get(unit.id, ()))
        self.last[unit.id] = generation
        return generation


def pin(generation: Generation, pinned: tuple[GeneratedFile, ...]) -> Generation:
    """`generation` with each pinned file replacing the generated one of the same path
    (or added), in the generation's order, new ones last."""
    if not pinned:
        return generation
    by_path = {f.path: f for f in pinned}
    files = [by_path.pop(f.path, f) for f in generation.files]
    files += sorted(by_path.values(), key=lambda f: f.path)
    return replace(generation, files=tuple(files))
