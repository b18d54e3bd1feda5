"""The `gramota` command: operations around the services (migrate, create topics, load the demo)."""
from __future__ import annotations

import argparse
import asyncio
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
