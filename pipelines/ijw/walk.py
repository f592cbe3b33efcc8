"""Element access for the iJw XML reader: the compiled `_walk` module when built, else `walk_py`.

Both expose `Plan(paths)`, `raw(el, plan)`, `first(el, plan)` and `codes(el)`, `has_doctype(el)` with the same results
(tests/unit/ijw/test_walk.py). `COMPILED` says which one is in use.

Invariants:
- A checkout without the compiled module (no C compiler, `pip install -e .` never run) still builds, with the
  same output, only slower: nothing outside this module and `bulk.py` imports `_walk`, and `bulk.py` is
  imported only when `COMPILED` (pipelines/ijw/worker.py). tests/unit/ijw/test_fallback.py builds a region
  in a copy of the code without the compiled module and compares every table with the compiled build.
- `KETENMONITOR_IJW_COMPILED=0` (`settings.ijw_compiled`) selects the pure-Python reader even when the
  module is built; it is read once per process, when this module is first imported (the build's workers are
  fresh processes and read it again).
- `FALLBACK_MESSAGE` is the one user-facing (Dutch) line about it; the iJw extractor logs it once per build.
"""

from __future__ import annotations

from pipelines import settings

FALLBACK_MESSAGE = (
    "De gecompileerde iJw-lezer ontbreekt; de (tragere) Python-lezer wordt gebruikt (zelfde uitkomst). "
    "Bouw hem met `pip install -e .` (of scripts/setup.sh); daarvoor is een C-compiler nodig."
)
DISABLED_MESSAGE = (
    "De gecompileerde iJw-lezer staat uit (KETENMONITOR_IJW_COMPILED=0); de (tragere) Python-lezer wordt "
    "gebruikt (zelfde uitkomst)."
)

COMPILED = False
if settings.ijw_compiled():
    try:
        from pipelines.ijw._walk import Plan, codes, first, has_doctype, raw

        COMPILED = True
    except ImportError:  # not built (no C compiler): the pure-Python reference, about 4x slower per record
        pass
if not COMPILED:
    from pipelines.ijw.walk_py import Plan, codes, first, has_doctype, raw


def fallback_message() -> str | None:
    """The Dutch line to show when the pure-Python reader is in use; None when the compiled one is."""
    if COMPILED:
        return None
    return FALLBACK_MESSAGE if settings.ijw_compiled() else DISABLED_MESSAGE


__all__ = ["COMPILED", "Plan", "codes", "fallback_message", "first", "has_doctype", "raw"]
