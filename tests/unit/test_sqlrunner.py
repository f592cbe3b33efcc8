"""The SQL runner: conventions enforced, order derived from the SQL, cycles refused, params bound."""

from pathlib import Path

import duckdb
import pytest

from pipelines.sqlrunner import ModelError, build_order, read_models, run_models


def write(root: Path, layer: str, name: str, text: str) -> None:
    (root / layer).mkdir(parents=True, exist_ok=True)
    (root / layer / f"{name}.sql").write_text(text, "utf-8")


def test_order_follows_references_not_file_names(tmp_path):
    write(tmp_path, "marts", "a_mart", "-- one row per x\nselect x, y from z_int\n")
    write(tmp_path, "intermediate", "z_int", "-- one row per x\nselect x, x * 2 as y from b_stg\n")
    write(tmp_path, "staging", "b_stg", "-- one row per x\nselect range as x from range(3)\n")
    models = read_models(tmp_path)
    order = build_order(models)
    assert order.index("b_stg") < order.index("z_int") < order.index("a_mart")
    con = duckdb.connect()
    run_models(con, tmp_path, params={})
    assert con.sql("select sum(y) from a_mart").fetchall() == [(6,)]


def test_names_in_comments_and_strings_are_not_dependencies(tmp_path):
    write(tmp_path, "staging", "b", "-- one row per x; see c\nselect 'c' as x\n")
    write(tmp_path, "staging", "c", "-- one row per x\nselect 1 as x\n")
    assert read_models(tmp_path)["b"].depends_on == set()


def test_cycle_is_refused_with_its_members(tmp_path):
    write(tmp_path, "staging", "p", "-- one row per x\nselect * from q\n")
    write(tmp_path, "staging", "q", "-- one row per x\nselect * from p\n")
    with pytest.raises(ModelError, match="cycle"):
        build_order(read_models(tmp_path))


@pytest.mark.parametrize(
    "text, message",
    [
        ("select 1 as x\n", "grain"),
        ("-- one row per x\nselect 1 as x; select 2 as y\n", "one SELECT"),
        ("-- one row per x\ncreate table t as select 1 as x\n", "one SELECT"),
    ],
)
def test_conventions_are_enforced(tmp_path, text, message):
    write(tmp_path, "staging", "bad", text)
    with pytest.raises(ModelError, match=message):
        read_models(tmp_path)


def test_parameters_are_bound_not_formatted(tmp_path):
    write(tmp_path, "staging", "p", "-- one row\nselect $peildatum::date as peildatum, $k as k\n")
    con = duckdb.connect()
    run_models(con, tmp_path, params={"peildatum": "2026-09-30", "k": "1; drop table p", "extra": 1})
    assert con.sql("select peildatum::varchar, k from p").fetchall() == [("2026-09-30", "1; drop table p")]


def test_missing_parameter_is_an_error(tmp_path):
    write(tmp_path, "staging", "p", "-- one row\nselect $nergens as x\n")
    with pytest.raises(ModelError, match="nergens"):
        run_models(duckdb.connect(), tmp_path, params={})


def test_macro_files_become_table_macros(tmp_path):
    write(tmp_path, "staging", "t", "-- one row per x\nselect range as x from range(10)\n")
    write(
        tmp_path,
        "macros",
        "t_boven",
        "-- one row per x above a bound\n-- params: ondergrens\nselect x from t where x > ondergrens\n",
    )
    con = duckdb.connect()
    run_models(con, tmp_path, params={})
    assert con.sql("select count(*) from t_boven($g)", params={"g": 6}).fetchall() == [(3,)]


def test_repository_models_follow_the_conventions():
    repo_sql = Path(__file__).resolve().parents[2] / "sql"
    models = read_models(repo_sql)
    build_order(models)  # no cycle
    for model in models.values():
        assert model.grain, model.path


def test_scalar_macro_files_become_scalar_macros(tmp_path):
    write(tmp_path, "staging", "t", "-- one row per x\nselect range as x from range(10)\n")
    write(
        tmp_path,
        "macros",
        "is_even_of_gelijk",
        "-- one boolean: x is even, or equal to a bound when one is given\n-- params: grens, x\n"
        "-- returns: boolean\nselect (grens is null and x % 2 = 0) or x = grens as is_even_of_gelijk\n",
    )
    write(
        tmp_path,
        "macros",
        "t_gekozen",
        "-- one row per chosen x\n-- params: grens\nselect t.x from t where is_even_of_gelijk(grens, t.x)\n",
    )
    models = read_models(tmp_path)
    assert models["t_gekozen"].depends_on == {"t", "is_even_of_gelijk"}
    con = duckdb.connect()
    run_models(con, tmp_path, params={})
    assert con.sql("select count(*) from t_gekozen(null)").fetchall() == [(5,)]
    assert con.sql("select list(x) from t_gekozen(7)").fetchall() == [([7],)]
    assert con.sql("select is_even_of_gelijk(null, 4)").fetchall() == [(True,)]


def test_scalar_macro_must_be_one_expression(tmp_path):
    write(
        tmp_path, "macros", "slecht", "-- one boolean\n-- params: a\n-- returns: boolean\nselect a from t\n"
    )
    with pytest.raises(ModelError, match="scalar macro"):
        read_models(tmp_path)
