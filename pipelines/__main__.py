"""Command line: `ketenmonitor generate|build|status|snapshot ...` (the console command of the installed package,
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


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from pipelines import snapshot
    from pipelines.store import StoreError

    db = Path(args.db) if args.db else settings.db_path()
    try:
        if args.list:
            rows = snapshot.list_snapshots(db=db)
            if not rows:
                print("Er zijn nog geen momentopnamen.")
            for s in rows:
                peil = s.peildatum.isoformat() if s.peildatum else "onbekend"
                gemaakt = s.aangemaakt_op.strftime("%Y-%m-%d %H:%M")
                print(
                    f"{s.naam}\tpeildatum {peil}\tgemaakt {gemaakt} UTC door {s.aangemaakt_door}\t{s.bestand}"
                )
        elif args.delete:
            s = snapshot.delete_snapshot(args.delete, db=db)
            print(f"Momentopname {s.naam!r} verwijderd ({s.bestand}).")
        else:
            s = snapshot.make_snapshot(args.name, db=db, opmerking=args.opmerking or "")
            peil = s.peildatum.isoformat() if s.peildatum else "onbekend"
            print(f"Momentopname {s.naam!r} (peildatum {peil}) geschreven naar {s.bestand}.")
    except (ValueError, snapshot.SnapshotError, StoreError) as exc:
        print(f"momentopname mislukt: {exc}", file=sys.stderr)
        return 2
    return 0


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

    sn = sub.add_parser(
        "snapshot", help="maak, toon of verwijder een momentopname (bevroren kopie van de cijfers)"
    )
    what = sn.add_mutually_exclusive_group(required=True)
    what.add_argument("--name", help="maak een momentopname met deze naam")
    what.add_argument("--list", action="store_true", help="toon de momentopnamen")
    what.add_argument("--delete", metavar="NAAM", help="verwijder de momentopname met deze naam")
    sn.add_argument("--opmerking", help="korte toelichting bij een nieuwe momentopname")
    sn.add_argument("--db", help="database (standaard KETENMONITOR_DB); opslag en map ernaast")
    sn.set_defaults(func=_cmd_snapshot)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
