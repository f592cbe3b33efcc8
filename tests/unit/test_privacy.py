"""Disclosure control: the cell-key method's published values, the "<k" rule, hidden statistics."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.privacy import (
    KEY_MODULUS,
    SUFFIX,
    CellKey,
    drop_small_rows,
    for_display,
    hide_small_statistics,
    protect_counts,
    suppress_small,
)

METHOD = CellKey(k=5, kansen=(0.1, 0.2, 0.4, 0.2, 0.1))


def _key(u: float) -> int:
    """A raw cell key (an integer sum of record keys) whose fraction of KEY_MODULUS is `u`."""
    return 7 * KEY_MODULUS + int(u * KEY_MODULUS)


def test_the_ptable_follows_the_probabilities():
    pt = METHOD.ptabel()
    assert pt["afwijking"].to_list() == [-2, -1, 0, 1, 2]
    assert pt["ck_van"].to_list()[0] == 0.0 and pt["ck_tot"].to_list()[-1] == pytest.approx(1.0)
    # a key at the start of each bucket gets that bucket's deviation (independent of the lookup code)
    df = pl.DataFrame({"n": [100] * 5, "n_ck": [_key(u + 1e-9) for u in pt["ck_van"].to_list()]})
    assert protect_counts(df, ["n"], METHOD)["n"].to_list() == [98, 99, 100, 101, 102]


def test_zero_and_small_counts_are_all_below_k():
    # "<k" covers 0 too: a shown 0 beside "<k" would tell "at least 1" (docs/privacy.md)
    df = pl.DataFrame({"n": [0, 1, 4, 40], "n_ck": [_key(0.95)] * 4})  # +2 for every cell
    out = protect_counts(df, ["n"], METHOD)
    assert out["n"].to_list() == [None, None, None, 42]
    assert out["n" + SUFFIX].to_list() == [True, True, True, False]
    assert "n_ck" not in out.columns


def test_sparse_lists_drop_rows_that_are_all_below_k():
    df = pl.DataFrame({"a": [2, 30, 1], "b": [40, 1, 2], "a_ck": [5, 5, 5], "b_ck": [9, 9, 9]})
    out = drop_small_rows(protect_counts(df, ["a", "b"], METHOD), ["a", "b"])
    assert out.height == 2 and out["a" + SUFFIX].to_list() == [True, False]


def test_a_count_above_k_published_below_k_is_shown_as_below_k():
    df = pl.DataFrame({"n": [6, 5], "n_ck": [_key(0.0), _key(0.0)]})  # -2: 4 and 3
    assert protect_counts(df, ["n"], METHOD)["n"].to_list() == [None, None]


def test_a_count_without_its_cell_key_is_refused():
    with pytest.raises(ValueError, match="cell key"):
        protect_counts(pl.DataFrame({"n": [3]}), ["n"], METHOD)


def test_the_same_cell_key_gives_the_same_value_whatever_the_frame():
    a = pl.DataFrame({"n": [37, 12], "n_ck": [123456789, 987654321]})
    b = pl.DataFrame({"n": [12, 99, 37], "n_ck": [987654321, 5, 123456789]})
    pa, pb = protect_counts(a, ["n"], METHOD), protect_counts(b, ["n"], METHOD)
    assert pa["n"].to_list() == [pb["n"][2], pb["n"][0]]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=2**40))
def test_published_values_stay_within_d_and_never_show_one_to_k_minus_one(n, ck):
    out = protect_counts(pl.DataFrame({"n": [n], "n_ck": [ck]}), ["n"], METHOD)
    value, hidden = out["n"][0], out["n" + SUFFIX][0]
    if n < METHOD.k:
        assert hidden and value is None
    else:
        assert hidden or (abs(value - n) <= METHOD.max_afwijking and value >= METHOD.k)


def test_deviations_follow_the_probabilities_over_many_keys():
    n = 20_000
    keys = [(i * 2654435761) % KEY_MODULUS for i in range(n)]  # spread over [0, 2^32)
    out = protect_counts(pl.DataFrame({"n": [50] * n, "n_ck": keys}), ["n"], METHOD)
    shares = (out["n"] - 50).value_counts(normalize=True).sort("n")["proportion"].to_list()
    assert shares == pytest.approx(list(METHOD.kansen), abs=0.01)


def test_invalid_methods_are_refused():
    with pytest.raises(ValueError):
        CellKey(kansen=(0.5, 0.5))
    with pytest.raises(ValueError):
        CellKey(kansen=(0.2, 0.2, 0.2))


def test_threshold_only_for_team_figures():
    out = suppress_small(pl.DataFrame({"n": [0, 3, 17]}), ["n"], k=5)
    assert out["n"].to_list() == [0, None, 17]


def test_for_display_shows_below_k_text():
    df = pl.DataFrame({"g": ["a", "b"], "n": [2, 3], "n_ck": [1, 2]})
    out = for_display(protect_counts(df, ["n"], METHOD), k=5)
    assert out["n"].to_list() == ["<5", "<5"]
    assert not any(c.endswith(SUFFIX) for c in out.columns)


def test_statistics_on_few_children_are_hidden():
    df = pl.DataFrame({"n": [3, 10, None], "mediaan": [12.0, 30.0, 8.0]})
    assert hide_small_statistics(df, "n", ["mediaan"], k=5)["mediaan"].to_list() == [None, 30.0, None]
