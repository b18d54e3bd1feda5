"""The `gramota` command: operations around the services (migrate, create topics, load the demo, import users)."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

SERVICES_DIR = Path(__file__).parent
SCHEMAS = ("testbank", "sessions", "scoring", "certificates", "gateway")


def _migrate(args: argparse.Namespace) -> int:
    from gramota.shared.db import migrate
    from gramota.shared.settings import ServiceSettings

    settings = ServiceSettings()

    async def run() -> None:
        for schema in args.schemas or SCHEMAS:
            applied = await migrate(settings.database_url, schema, SERVICES_DIR / schema)
            print(f"{schema}: {len(applied)} migration(s) applied" + (f" ({', '.join(applied)})" if applied else ""))

    asyncio.run(run())
    return 0


def _topics(args: argparse.Namespace) -> int:
    from gramota.shared.settings import ServiceSettings
    from gramota.shared.topics import ALL_TOPICS, ensure_topics

    created = ensure_topics(ServiceSettings().kafka_options(), replication_factor=args.replication_factor)
    for t in ALL_TOPICS:
        print(f"{t.name}: {t.partitions} partitions" + (" (created)" if t.name in created else ""))
    return 0


def _seed(args: argparse.Namespace) -> int:
    from gramota.seed import load_demo

    return load_demo(args.gateway, args.admin_password, wait_seconds=args.wait)


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    return "qti" if path.suffix.lower() in (".zip", ".xml") else "gift"


def _progress(done: int, total: int, rejected: int, width: int = 30) -> None:
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d}% "
                     f"{done}/{total} questions, {rejected} rejected")
    sys.stderr.flush()


def _mapping(text: str) -> tuple[str, str]:
    category, sep, competence = text.rpartition("=")
    if not sep or not category.strip() or not competence.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not CATEGORY=COMPETENCE")
    return category, competence


def _bank_import(args: argparse.Namespace) -> int:
    """Sends the file to the gateway in pieces (GIFT: `--batch` questions each) and shows progress."""
    import httpx

    from gramota.seed import admin_client
    from gramota.testbank import gift

    path = Path(args.file)
    fmt = _format_of(path, args.format)
    imported, errors, unassigned = 0, [], 0
    mapping = dict(args.map)
    params = {"category_map": json.dumps({k.strip(): v.strip() for k, v in mapping.items()}, ensure_ascii=False),
              "default_competence": args.default_competence}
    with admin_client(args.gateway, args.admin_password, args.wait) as client:
        if fmt == "gift":
            pieces = gift.chunks(path.read_text(encoding="utf-8-sig"), args.batch)
            total = sum(n for _, n, _ in pieces)
            done = 0
            _progress(0, total, 0)
            for offset, count, text in pieces:
                r = client.post("/api/v1/bank/import", params={"format": "gift", **params}, content=text.encode(),
                                headers={"Content-Type": "text/plain; charset=utf-8"})
                if r.status_code >= 400:
                    sys.stderr.write(f"\n{r.status_code} {r.text}\n")
                    return 1
                report = r.json()
                imported += report["imported"]
                unassigned += len(report["unassigned_item_ids"])
                errors += [(e["line"] + offset, e["reason"]) for e in report["errors"]]
                done += count
                _progress(done, total, len(errors))
        else:
            _progress(0, 1, 0)
            try:
                r = client.post("/api/v1/bank/import", params={"format": "qti"}, content=path.read_bytes(),
                                headers={"Content-Type": "application/zip"})
            except httpx.HTTPError as exc:
                sys.stderr.write(f"\n{exc}\n")
                return 1
            if r.status_code >= 400:
                sys.stderr.write(f"\n{r.status_code} {r.text}\n")
                return 1
            report = r.json()
            imported = report["imported"]
            errors = [(e["item_id"], e["reason"]) for e in report["errors"]]
            _progress(1, 1, len(errors))
    sys.stderr.write("\n")
    skipped = sum(1 for _, reason in errors if reason.startswith("skipped:"))
    print(f"{imported} questions imported, {len(errors) - skipped} rejected"
          + (f", {skipped} skipped" if skipped else "")
          + (f"; {unassigned} without a competence (assign them on the bank page)" if unassigned else ""))
    for where, reason in errors:
        print(f"  {'line ' if fmt == 'gift' else ''}{where}: {reason}")
    return 0 if imported or not errors else 1
def _rows_progress(done: int, total: int, width: int = 40) -> None:
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def _users_import(args: argparse.Namespace) -> int:
    """Officials from a CSV straight into the gateway's database, with a progress bar and a per-row report."""
    import os

    from gramota.gateway.roster import decode
    from gramota.gateway.routes.accounts import import_officials
    from gramota.shared import csv_safe, db
    from gramota.shared.settings import ServiceSettings

    settings = ServiceSettings.load()
    text = decode(Path(args.file).read_bytes())
    passwords: dict[str, str] | None = {} if args.passwords_out else None

    async def run():
        pool = await db.create_pool(settings.database_url, "gateway", max_size=2)
        try:
            return await import_officials(pool, text, dry_run=args.dry_run, on_progress=_rows_progress,
                                          generated_passwords=passwords)
        finally:
            await pool.close()

    report = asyncio.run(run())
    verb = "would be created" if args.dry_run else "created"
    print(f"{len(report.users)} user(s) {verb}, {len(report.errors)} row(s) refused")
    for e in report.errors:
        print(f"  line {e.line}: {e.login or '-'}: {e.reason}")
    if args.errors_out:
        with open(args.errors_out, "w", newline="", encoding="utf-8") as f:
            w = csv_safe.writer(f)
            w.writerow(["line", "login", "reason"])
            w.writerows([e.line, e.login, e.reason] for e in report.errors)
    if passwords and not args.dry_run:
        # one-time passwords to hand over; readable by the operator only
        fd = os.open(args.passwords_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", newline="", encoding="utf-8") as f:
            w = csv_safe.writer(f)
            w.writerow(["login", "password"])
            w.writerows(sorted(passwords.items()))
        print(f"initial passwords of {len(passwords)} user(s) written to {args.passwords_out}")
    return 1 if report.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gramota", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="apply pending SQL migrations (each service's own schema)")
    p.add_argument("schemas", nargs="*", metavar="SCHEMA", help=f"default: all of {', '.join(SCHEMAS)}")
    p.set_defaults(func=_migrate)
    p = sub.add_parser("topics", help="create the Kafka topics with their partition counts")
    p.add_argument("--replication-factor", type=int, default=1)
    p.set_defaults(func=_topics)
    p = sub.add_parser("seed", help="load the demo bank, exams and users through the gateway")
    p.add_argument("--gateway", default="http://127.0.0.1:8000")
    p.add_argument("--admin-password", default=None, help="default: $GRAMOTA_ADMIN_PASSWORD")
    p.add_argument("--wait", type=float, default=120, help="seconds to wait for the gateway to be ready")
    p.set_defaults(func=_seed)
    p = sub.add_parser("bank", help="the test bank")
    bank = p.add_subparsers(dest="bank_command", required=True)
    p = bank.add_parser("import", help="import a GIFT file or a QTI 2.1 package through the gateway, with progress")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("gift", "qti"), default=None, help="default: from the extension")
    p.add_argument("--batch", type=int, default=500, help="GIFT questions per request")
    p.add_argument("--map", action="append", default=[], metavar="CATEGORY=COMPETENCE", type=_mapping,
                   help="GIFT: give the questions of a category path (and its sub-categories) a competence; repeatable")
    p.add_argument("--default-competence", default="", help="GIFT: the competence of questions no category names")
    p.add_argument("--gateway", default="http://127.0.0.1:8000")
    p.add_argument("--admin-password", default=None, help="default: $GRAMOTA_ADMIN_PASSWORD")
    p.add_argument("--wait", type=float, default=30, help="seconds to wait for the gateway to be ready")
    p.set_defaults(func=_bank_import)
    p = sub.add_parser("users", help="accounts of the web")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    p = users_sub.add_parser("import", help="bulk import of officials from a CSV (name, login, email, role, federal "
                                            "district, region, organisation [, password])")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check every row, create nothing")
    p.add_argument("--errors-out", metavar="CSV", help="also write the refused rows to this CSV")
    p.add_argument("--passwords-out", metavar="CSV",
                   help="give rows without a password a random one and write login,password here (mode 0600)")
    p.set_defaults(func=_users_import)
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    finally:
        if args.command != "seed":
            print(f"({time.monotonic() - started:.1f}s)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
