"""Command line: `ketenmonitor generate|build|status|snapshot|rollen|audit ...` (the console command of the installed package,
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


def _cmd_rollen(args: argparse.Namespace) -> int:
    from pipelines.toegang import RollenFout, read_rollen

    path = Path(args.bestand) if args.bestand else settings.roles_path()
    try:
        rollen = read_rollen(path)
    except RollenFout as exc:
        print(f"rollenbestand onbruikbaar: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: {len(rollen.gebruikers)} gebruikers")
    for g in rollen.gebruikers:
        extra = []
        if g.organisatie:
            extra.append(f"organisatie {g.organisatie}")
        if g.teams:
            extra.append("teams " + ", ".join(g.teams))
        paginas = ", ".join(sorted(g.paginas()))
        print(f"{g.sleutel}\t{g.naam}\t{g.rol_label}\t{'; '.join(extra) or '-'}\tpagina's: {paginas}")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from pipelines.store import StoreError, open_store

    db = Path(args.db) if args.db else settings.db_path()
    path = settings.store_path(db)
    if not path.exists():
        print(f"Er is nog geen opslag ({path}), dus ook geen auditlog.")
        return 0
    try:
        regels = open_store(path).list_audit(limit=args.limit)
    except StoreError as exc:
        print(f"auditlog niet te lezen: {exc}", file=sys.stderr)
        return 2
    for r in regels if not args.actie else [r for r in regels if r.actie == args.actie]:
        print(f"{r.tijd.strftime('%Y-%m-%d %H:%M:%S')} UTC\t{r.wie}\t{r.actie}\t{r.onderwerp}")
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

    ro = sub.add_parser("rollen", help="controleer het rollenbestand en toon wie wat mag zien")
    ro.add_argument("--bestand", help="rollenbestand (standaard KETENMONITOR_ROLLEN of config/rollen.toml)")
    ro.set_defaults(func=_cmd_rollen)

    au = sub.add_parser(
        "audit", help="toon het auditlog (weigeringen, momentopnamen, notities), nieuwste eerst"
    )
    au.add_argument("--limit", type=int, default=200, help="hoeveel regels (standaard 200)")
    au.add_argument("--actie", help="alleen deze actie, bijv. geweigerd")
    au.add_argument("--db", help="database (standaard KETENMONITOR_DB); de opslag staat ernaast")
    au.set_defaults(func=_cmd_audit)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
