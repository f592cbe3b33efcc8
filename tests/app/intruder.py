"""The intruder's view of the dashboard's released numbers: an audit by linear programming.

An intruder collects every number the dashboard releases (the frames the pages show and offer as CSV, via
`dashboard.queries`) under several filter combinations, writes down every linear identity the true
counts obey (a total is the sum of its parts, the stock identity in zorg(m) = in zorg(m-1) + instroom(m)
- uitstroom(m), "all gemeenten" is the sum over the gemeenten), and bounds each protected cell (a true
count of 1..k-1) from below and above with HiGHS (highspy, the solver's own Python API). Because the true counts are
integers, the LP bounds are rounded inward (ceil / floor): still valid bounds, and never wider than what
an integer program would give.

What a released number tells the intruder follows the published method (docs/privacy.md):
- a number r: the true count lies in [max(k, r - D), r + D] (a shown number is never a true 1..k-1);
- "<k": the true count lies in [0, k - 1 + D] when the method also shows a 0 as "<k", else in
  [1, k - 1 + D]; a row of a list that only has rows for non-zero counts says "at least 1" by being there
  (with D = 0, the old cell suppression, a complementary suppressed cell may hold any count);
- 0: the true count is 0.
With D = 0 (no perturbation, the method before the cell-key method) a shown number is exact.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field

import highspy
import numpy as np

Cell = Hashable  # an identity of a true count: (measure, row key, filter)


@dataclass
class Audit:
    k: int
    d: int  # the largest published deviation (0 = exact)
    zero_hidden: bool = False  # "<k" also covers a true 0 (so "<k" alone does not say "at least 1")
    lo: dict[Cell, float] = field(default_factory=dict)
    hi: dict[Cell, float] = field(default_factory=dict)
    true: dict[Cell, int] = field(default_factory=dict)
    equalities: list[dict[Cell, int]] = field(default_factory=list)
    inequalities: list[dict[Cell, int]] = field(default_factory=list)  # sum(coef * x) <= 0

    def release(
        self, cell: Cell, shown: int | None, suppressed: bool, true: int, sparse: bool = False
    ) -> None:
        """Record one released value of `cell` (shown number, or suppressed "<k") and its true value.
        `sparse`: the cell is a row of a list that has rows only for non-zero counts (presence says >= 1)."""
        if suppressed and self.d == 0:  # cell suppression: a complement may hide any count
            lo, hi = (1 if sparse else 0), math.inf
        elif suppressed:
            lo, hi = (0 if self.zero_hidden and not sparse else 1), self.k - 1 + self.d
        elif shown == 0:
            lo, hi = 0, 0
        else:
            assert shown is not None
            lo, hi = max(self.k, shown - self.d) if self.d else shown, shown + self.d
        if cell in self.true and self.true[cell] != true:
            raise AssertionError(f"one cell, two true values: {cell}: {self.true[cell]} and {true}")
        self.true[cell] = true
        self.lo[cell] = max(self.lo.get(cell, -math.inf), lo)
        self.hi[cell] = min(self.hi.get(cell, math.inf), hi)

    def unreleased(self, cell: Cell, true: int) -> None:
        """`cell` is not released at all (only known to be a count, >= 0) but takes part in an identity."""
        if cell in self.true and self.true[cell] != true:
            raise AssertionError(f"one cell, two true values: {cell}: {self.true[cell]} and {true}")
        self.true[cell] = true
        self.lo.setdefault(cell, 0)
        self.hi.setdefault(cell, math.inf)

    def absent(self, cell: Cell, true: int) -> None:
        """`cell` has no row in a sparse list: with the cell-key method that means "<k" (the row was
        dropped), before it meant exactly 0."""
        self.release(cell, None, True, true) if self.d else self.release(cell, 0, False, true)

    def equal(self, total: Cell, parts: list[Cell], sign: dict[Cell, int] | None = None) -> None:
        """total = sum(parts) (each part with its sign, default +1), checked on the true values."""
        row: dict[Cell, int] = {total: -1}
        for p in parts:
            row[p] = row.get(p, 0) + (sign or {}).get(p, 1)
        self._check(row, equal=True)
        self.equalities.append(row)

    def sums_equal(self, left: list[Cell], right: list[Cell]) -> None:
        """sum(left) = sum(right), checked on the true values."""
        row: dict[Cell, int] = {}
        for c in left:
            row[c] = row.get(c, 0) + 1
        for c in right:
            row[c] = row.get(c, 0) - 1
        self._check(row, equal=True)
        self.equalities.append(row)

    def at_least(self, total: Cell, parts: list[Cell]) -> None:
        """total >= sum(parts) (a partition with an unreleased remainder), checked on the true values."""
        row: dict[Cell, int] = {total: -1}
        for p in parts:
            row[p] = row.get(p, 0) + 1
        self._check(row, equal=False)
        self.inequalities.append(row)

    def _check(self, row: dict[Cell, int], equal: bool) -> None:
        missing = [c for c in row if c not in self.true]
        if missing:
            raise AssertionError(f"identity over cells that were not released: {missing[:3]}")
        value = sum(coef * self.true[c] for c, coef in row.items())
        if (equal and value != 0) or (not equal and value > 0):
            raise AssertionError(f"the identity does not hold on the true counts ({value}): {row}")

    def protected(self) -> list[Cell]:
        return [c for c, v in self.true.items() if 0 < v < self.k]

    def bounds(self, cells: list[Cell] | None = None) -> dict[Cell, tuple[int, float]]:
        """The tightest integer interval [lo, hi] the intruder can prove for each cell in `cells`. Cells
        linked by no identity are independent, so each connected group is solved as an LP of its own."""
        for c in self.true:
            assert self.lo[c] <= self.true[c] <= self.hi[c], (
                f"the release rule is not what the method says: {c}"
            )
        wanted = cells if cells is not None else self.protected()
        out: dict[Cell, tuple[int, float]] = {}
        for group, rows in self._components():
            targets = [c for c in group if c in set(wanted)]
            if targets:
                out.update(self._solve(group, rows, targets))
        return out

    def _components(self) -> list[tuple[list[Cell], list[tuple[dict[Cell, int], bool]]]]:
        parent = {c: c for c in self.true}

        def find(c: Cell) -> Cell:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        rows = [(r, True) for r in self.equalities] + [(r, False) for r in self.inequalities]
        for row, _ in rows:
            first, *rest = list(row)
            for c in rest:
                parent[find(c)] = find(first)
        groups: dict[Cell, list[Cell]] = {}
        for c in self.true:
            groups.setdefault(find(c), []).append(c)
        group_rows: dict[Cell, list] = {}
        for row, is_eq in rows:
            group_rows.setdefault(find(next(iter(row))), []).append((row, is_eq))
        return [(g, group_rows.get(root, [])) for root, g in groups.items()]

    def _solve(self, group: list[Cell], rows, targets: list[Cell]) -> dict[Cell, tuple[int, float]]:
        """Minimise and maximise each target over one LP (HiGHS, kept warm between objectives)."""
        index = {c: i for i, c in enumerate(group)}
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # keep the basis warm: only the objective changes
        h.setOptionValue("simplex_strategy", 4)  # primal simplex: the previous basis stays feasible
        inf = highspy.kHighsInf
        for c in group:
            hi = self.hi[c]
            h.addVar(self.lo[c], inf if hi == math.inf else hi)
        for row, is_eq in rows:
            cols = [index[c] for c in row]
            vals = [float(v) for v in row.values()]
            h.addRow(0.0 if is_eq else -inf, 0.0, len(cols), np.array(cols, dtype=np.int32), np.array(vals))
        out: dict[Cell, tuple[int, float]] = {}
        previous: int | None = None
        for cell in targets:
            if previous is not None:
                h.changeColCost(previous, 0.0)
            i = previous = index[cell]
            ends = []
            for direction in (1.0, -1.0):
                h.changeColCost(i, direction)
                h.run()
                status = h.getModelStatus()
                if status == highspy.HighsModelStatus.kUnbounded:
                    ends.append(-direction * math.inf)  # nothing released limits the cell this way
                    continue
                assert status == highspy.HighsModelStatus.kOptimal, f"LP failed for {cell}: {status}"
                ends.append(direction * h.getInfo().objective_function_value)
            lo, hi = ends
            out[cell] = (math.ceil(lo - 1e-6), math.inf if hi == math.inf else math.floor(hi + 1e-6))
        return out
