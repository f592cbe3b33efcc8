"""Element access for the iJw XML reader: the compiled `_walk` module when built, else `walk_py`.

Both expose `Plan(paths)`, `raw(el, plan)`, `first(el, plan)` and `codes(el)`, `has_doctype(el)` with the same results
(tests/unit/ijw/test_walk.py). `COMPILED` says which one is in use; the build logs it.
"""

from __future__ import annotations

try:
    from pipelines.ijw._walk import Plan, codes, first, has_doctype, raw

    COMPILED = True
except ImportError:  # not built (no C compiler): the pure-Python reference, about 4x slower per record
    from pipelines.ijw.walk_py import Plan, codes, first, has_doctype, raw

    COMPILED = False

__all__ = ["COMPILED", "Plan", "codes", "first", "has_doctype", "raw"]
