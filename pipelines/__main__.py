"""Command line: `ketenmonitor generate|build|status ...` (the console command of the installed package,
pyproject.toml `[project.scripts]`), the same as `python -m pipelines ...`: both run `main`.

Exit codes: 0 success (a build that read its source exits 0 even when files were quarantined);
2 when the command could not run, with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from pipelines import settings


def _cmd_generate(args: argparse.Namespace) -> int:
    from generator import generate

    generate(Path(args.out), scale=args.scale, seed=args.seed)
    print(f"Voorbeeldregio geschreven naar {args.out}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from pipelines.build import BuildError, build

    try:
        result = build(
            Path(args.source),
            Path(args.db) if args.db else settings.db_path(),
            report_path=Path(args.report) if args.report else None,
            peildatum=date.fromisoformat(args.peildatum) if args.peildatum else None,
        )
    except BuildError as exc:
        print(f"build mislukt: {exc}", file=sys.stderr)
        return 2
    t = result.report["totals"]
    print(
        f"Database {result.db}: {t['files']} bestanden, {t['records_read']} records gelezen, "
        f"{t['records_loaded']} geladen, {t['records_quarantined']} in quarantaine."
    )
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from pipelines.contract import database_status

    db = Path(args.db) if args.db else settings.db_path()
    ok, message = database_status(db)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    invoked = Path(sys.argv[0]).name
    prog = "python -m pipelines" if invoked in {"__main__.py", "-m", ""} else invoked
    parser = argparse.ArgumentParser(prog=prog, description="Ketenmonitor")
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="schrijf de fictieve regio Zuidoost-Duinland")
    gen.add_argument("--out", required=True, help="doelmap")
    gen.add_argument("--scale", type=float, default=1.0, help="schaal (1 = voorbeeldregio)")
    gen.add_argument("--seed", type=int, default=2026, help="toevalszaad")
    gen.set_defaults(func=_cmd_generate)

    b = sub.add_parser("build", help="bouw de database uit een bronmap")
    b.add_argument("--source", required=True, help="bronmap met exports")
    b.add_argument("--db", help=f"database (standaard KETENMONITOR_DB of {settings.default_db()})")
    b.add_argument("--report", help="schrijf het laadrapport als JSON")
    b.add_argument("--peildatum", help="peildatum (JJJJ-MM-DD); standaard afgeleid uit de data")
    b.set_defaults(func=_cmd_build)

    st = sub.add_parser("status", help="controleer of de database bestaat en bij deze versie past")
    st.add_argument("--db", help="database (standaard KETENMONITOR_DB)")
    st.set_defaults(func=_cmd_status)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
