"""The `scenarist` console script: server, worker and admin commands, plus the client commands of cli_client."""

from __future__ import annotations

import argparse
import os
import sys


EXIT_SETUP = 2  # the database or the port is not usable: one line on stderr, this exit code


class SetupError(Exception):
    """The environment is not ready for this command (missing/unmigrated database, busy port)."""


def _django_setup(check_schema: bool = True) -> None:
    """Configure Django from scenarist.settings; unless told otherwise, require a migrated database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scenarist.settings")
    import django

    django.setup()
    if check_schema:
        _require_migrated_database()


def _database_label() -> str:
    """Where the database is, for messages (never the password)."""
    from django.db import connection

    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(sd["NAME"])
    return f"{connection.vendor} database {sd.get('NAME')!r} on {sd.get('HOST') or 'localhost'}:{sd.get('PORT') or ''}"


def _require_migrated_database() -> None:
    """SetupError unless the database exists and has every migration applied (checked before anything writes)."""
    from pathlib import Path

    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    where = _database_label()
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        raise SetupError(f"no database at {where}: run this from the folder that holds ./data, set "
                         "SCENARIST_DATA_DIR or SCENARIST_DATABASE_URL, or create it with `.venv/bin/scenarist migrate`")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise SetupError(f"cannot use the database at {where}: {str(exc).strip().splitlines()[0]}") from None
    if pending:
        raise SetupError(f"the database at {where} is not migrated ({len(pending)} migration(s) pending): "
                         "run `.venv/bin/scenarist migrate` first")


def _require_free_port(host: str, port: int) -> None:
    """SetupError when something already listens on host:port (checked before a key is issued or a child starts)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise SetupError(f"{host}:{port} is already in use (another `make run` or server?): stop it, or pick "
                             f"another port, e.g. `PORT={port + 1} make run` or `--port {port + 1}`") from None


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply database migrations."""
    _django_setup(check_schema=False)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_project_create(args: argparse.Namespace) -> int:
    """Create a project and print its first API key (shown once)."""
    _django_setup()
    from scenarist.accounts.services import create_project

    project, raw_key = create_project(args.name)
    if args.json:
        import json

        print(json.dumps({"project_id": project.pk, "name": project.name, "api_key": raw_key}))
    else:
        print(f"Project #{project.pk} {project.name!r} created.")
        print(f"API key (shown once, store it now): {raw_key}")
    return 0


def cmd_key_create(args: argparse.Namespace) -> int:
    """Issue another API key for an existing project."""
    _django_setup()
    from scenarist.accounts.models import Project

    project = Project.objects.filter(pk=args.project_id).first()
    if project is None:
        print(f"error: no project with id {args.project_id}", file=sys.stderr)
        return 2
    _, raw = project.issue_key(args.name)
    print(raw)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Run any Django management command (e.g. createsuperuser)."""
    _django_setup(check_schema=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["scenarist", *args.rest])
    return 0


def cmd_server(args: argparse.Namespace) -> int:
    """Start `serve` (API + worker), `web` (API only) or `worker` (jobs only)."""
    migrates = args.command == "serve" or getattr(args, "migrate", False)
    if args.command in ("serve", "web"):
        _require_free_port(args.host, args.port)
    _django_setup(check_schema=not migrates)
    from scenarist.jobs import runner

    return getattr(runner, args.command)(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="scenarist", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    project = sub.add_parser("project", help="manage projects").add_subparsers(dest="project_cmd", required=True)
    p = project.add_parser("create", help="create a project and print its API key")
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_project_create)

    key = sub.add_parser("key", help="manage API keys").add_subparsers(dest="key_cmd", required=True)
    p = key.add_parser("create", help="issue another key for a project")
    p.add_argument("project_id", type=int)
    p.add_argument("--name", default="cli")
    p.set_defaults(func=cmd_key_create)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    for name, text in (("serve", "API and a worker in one command (embedded mode)"),
                       ("web", "API server only (scale mode)"),
                       ("worker", "job worker only (scale mode)")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--host", default=os.environ.get("SCENARIST_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("SCENARIST_PORT", "8000")))
        p.add_argument("--threads", type=int, default=None)
        p.add_argument("--demo", action="store_true", help="seed a demo project and print its key")
        p.add_argument("--no-reaper", action="store_true", help="(worker) do not run the periodic reaper")
        p.add_argument("--migrate", action="store_true", help="(web) apply migrations before serving")
        p.set_defaults(func=cmd_server)

    from scenarist.cli_client import register_client_commands  # client commands: HTTP only, no Django

    register_client_commands(parser, sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETUP


if __name__ == "__main__":
    sys.exit(main())
