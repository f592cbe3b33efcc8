"""Small-number protection: primary and complementary suppression, hidden statistics."""

import itertools

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.privacy import SUFFIX, for_display, hide_small_statistics, suppress_counts


def test_primary_suppression_hides_one_to_k_minus_one_but_not_zero():
    df = pl.DataFrame({"n": [0, 1, 4, 5, 12]})
    out = suppress_counts(df, ["n"], k=5)
    assert out["n"].to_list() == [0, None, None, 5, 12]


def test_rows_without_a_total_get_no_complement():
    out = suppress_counts(pl.DataFrame({"niveau": ["a", "b", "c"], "n": [3, 40, 20]}), ["n"], k=5)
    assert out["n"].to_list() == [None, 40, 20]


def test_a_single_hidden_cell_gets_a_complement():
    df = pl.DataFrame({"gemeente": ["A", "B", "C"], "n": [3, 40, 20]})
    out = suppress_counts(df, ["n"], ["gemeente"], k=5)
    # total 63 is shown elsewhere: hiding only A would reveal it (63 - 40 - 20); the smallest other goes too
    assert out["n"].to_list() == [None, 40, None]
    assert out["n" + SUFFIX].to_list() == [True, False, True]


def test_two_dimensions_protect_rows_and_columns():
    df = pl.DataFrame(
        {
            "maand": ["jan", "jan", "feb", "feb"],
            "gemeente": ["A", "B", "A", "B"],
            "n": [2, 30, 25, 40],
        }
    )
    out = suppress_counts(df, ["n"], ["maand", "gemeente"], k=5)
    hidden = out.filter(pl.col("n" + SUFFIX))
    # the jan row and the A column each need a second hidden cell; then feb/B must follow
    assert hidden.height == 4


def test_for_display_shows_below_k_text():
    out = for_display(suppress_counts(pl.DataFrame({"g": ["a", "b"], "n": [2, 3]}), ["n"], ["g"], k=5), k=5)
    assert out["n"].to_list() == ["<5", "<5"]
    assert not any(c.endswith(SUFFIX) for c in out.columns)


def test_statistics_on_few_children_are_hidden():
    df = pl.DataFrame({"n": [3, 10], "mediaan": [12.0, 30.0]})
    assert hide_small_statistics(df, "n", ["mediaan"], k=5)["mediaan"].to_list() == [None, 30.0]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=6, max_size=6),
    st.integers(min_value=2, max_value=10),
)
def test_no_group_ever_has_exactly_one_hidden_cell(values, k):
    rows = list(itertools.product(["r1", "r2"], ["c1", "c2", "c3"]))
    df = pl.DataFrame({"rij": [r for r, _ in rows], "kol": [c for _, c in rows], "n": values})
    out = suppress_counts(df, ["n"], ["rij", "kol"], k=k)
    shown = out.filter(~pl.col("n" + SUFFIX))["n"].to_list()
    assert all(v == 0 or v >= k for v in shown)
    for dim in ("rij", "kol"):
        per_group = out.group_by(dim).agg(pl.col("n" + SUFFIX).sum().alias("h"))  # groups have 2-3 cells
        assert 1 not in per_group["h"].to_list()
