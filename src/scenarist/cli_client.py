"""Client sub-commands of the `scenarist` console script (agents, generate, metrics, scenarios, personalities).

They talk to a server over HTTP through `scenarist.client` (no Django), except `generate --offline`, which runs
the generation library in this process. Exit codes: 0 ok, 1 job failed / API error, 2 usage error, 3 auth
error, 4 cannot connect. Errors are one readable line on stderr (plus field errors), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any, Callable

SCENARIO_TYPES = ("workflow", "knowledge_base", "red_teaming_voice", "red_teaming_text")
ATTACK_TYPES = ("system_prompt_leak", "data_leak", "harmful_content", "biased_output", "unauthorized_actions",
                "off_task")
EVAL_TYPES = ("boolean", "rating", "numeric", "enum")
SUITE_FORMATS = ("yaml", "json", "csv")


class ExitCode(IntEnum):
    """Process exit codes of the client commands."""

    OK = 0
    FAILED = 1
    USAGE = 2
    AUTH = 3
    CONNECTION = 4
    INTERRUPTED = 130


class UsageError(Exception):
    """The command line or an input file is wrong (exit 2)."""


# ---------------------------------------------------------------- plumbing


def _client(args: argparse.Namespace):
    """A client from --url/--api-key or the environment; a missing key is an auth error before any request."""
    from scenarist.client import AuthenticationError, Scenarist

    retries = getattr(args, "retries", None)
    client = Scenarist(getattr(args, "url", None), getattr(args, "api_key", None),
                       retries=3 if retries is None else retries)
    if not client.api_key:
        raise AuthenticationError(0, {"detail": "no API key given"})
    return client


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _error_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return "error: " + text


def exit_code_of(exc: BaseException) -> ExitCode:
    """The one place that maps an exception to an exit code."""
    from scenarist.client import AuthenticationError, ConnectionFailed
    from scenarist.client.agent_dir import AgentDirError

    if isinstance(exc, AuthenticationError):
        return ExitCode.AUTH
    if isinstance(exc, ConnectionFailed):
        return ExitCode.CONNECTION
    if isinstance(exc, (UsageError, AgentDirError)):
        return ExitCode.USAGE
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.FAILED  # job failed, API refused, output file not writable, anything unexpected


def guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command; turn every error into one stderr message and its exit code (a traceback only with
    SCENARIST_DEBUG=1)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(command(args) or 0)
        except KeyboardInterrupt as exc:
            _err("interrupted")
            return exit_code_of(exc)
        except BrokenPipeError:
            # The reader of our stdout went away (`| head`): not an error of the command.
            sys.stdout = open(os.devnull, "w")
            return ExitCode.OK
        except Exception as exc:  # noqa: BLE001 — the CLI's single error boundary
            if os.environ.get("SCENARIST_DEBUG"):
                raise
            _err(_error_line(exc))
            return exit_code_of(exc)

    run.__doc__ = command.__doc__
    return run


def _write_output(text: str, out: str | None) -> None:
    """Write to a file, or to stdout when no file is given."""
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


# ---------------------------------------------------------------- agents


def cmd_agents_list(args: argparse.Namespace) -> int:
    """List the project's agents."""
    agents = list(_client(args).agents.iter(q=args.q))
    if args.json:
        _print_json([a.to_dict() for a in agents])
    else:
        for agent in agents:
            print(f"{agent.id}\t{agent.agent_name}\t{agent.language}")
    return 0


def cmd_agents_get(args: argparse.Namespace) -> int:
    """Show one agent."""
    agent = _client(args).agents.get(args.id)
    _print_json(agent.to_dict())
    return 0


def cmd_agents_create(args: argparse.Namespace) -> int:
    """Create an agent (with tools, variables and KB files) from an agent directory."""
    from scenarist.client.agent_dir import load_agent_dir

    load_agent_dir(args.from_dir)  # check the directory before anything is created on the server
    client = _client(args)
    agent = client.agents.create_from_dir(args.from_dir, agent_name=args.name)
    if args.json:
        _print_json(agent.to_dict())
        return 0
    tools = client.agents.tools(agent.id).list().count
    print(f"Created agent {agent.id} {agent.agent_name!r}: {tools} tool(s), {len(agent.dynamic_variables)} "
          f"variable(s), {len(agent.knowledge_base_files)} knowledge-base file(s).")
    return 0


def cmd_agents_delete(args: argparse.Namespace) -> int:
    """Delete an agent (and its tools, variables, KB files and scenarios)."""
    _client(args).agents.delete(args.id)
    if args.json:
        _print_json({"deleted": args.id})
    else:
        print(f"Deleted agent {args.id}.")
    return 0


# ---------------------------------------------------------------- generate


def _check_generation_args(args: argparse.Namespace) -> None:
    red_teaming = args.type.startswith("red_teaming")
    if red_teaming and not args.attack_type:
        raise UsageError(f"--attack-type is required with --type {args.type} (one of: {', '.join(ATTACK_TYPES)})")
    if not red_teaming and args.attack_type:
        raise UsageError(f"--attack-type only applies to the red_teaming_* types, not {args.type}")
    if not 1 <= args.num <= 100:
        raise UsageError("-n must be between 1 and 100")
    if args.format and not args.out:
        raise UsageError("--format needs --out FILE")


def cmd_generate(args: argparse.Namespace) -> int:
    """Generate scenarios on the server (live progress), or in-process with --offline."""
    _check_generation_args(args)
    if args.estimate:
        return _estimate(args)
    if args.offline:
        return _generate_offline(args)
    if args.agent_dir:
        raise UsageError("--agent-dir is for --offline; on a server use --agent ID")
    if args.agent is None:
        raise UsageError("--agent ID is required (or use --offline --agent-dir DIR)")
    if args.seed is not None:
        raise UsageError("--seed only applies to --offline")
    client = _client(args)
    bad = [p for p in args.personality or [] if not p.isdigit()]
    if bad:
        raise UsageError(f"--personality takes personality ids on a server (see `scenarist personalities list`), "
                         f"not {', '.join(map(repr, bad))}")
    personalities = [int(p) for p in args.personality] if args.personality else None
    job = client.scenarios.generate(
        agent_id=args.agent, num_scenarios=args.num, scenario_type=args.type, attack_type=args.attack_type,
        personalities=personalities, test_profile=args.test_profile, knowledge_base=args.kb or None,
        extra_instructions=args.extra_instructions, expected_outcome=args.expected_outcome,
        first_message=args.first_message, generate_expected_outcomes=args.generate_expected_outcomes or None,
        tags=args.tag or None, tool_ids=args.tool_id or None, folder_path=args.folder,
    )
    from scenarist.client import JobFailedError

    try:
        scenarios = job.wait(progress=not args.no_progress, poll_interval=args.poll_interval, timeout=args.timeout)
    except KeyboardInterrupt:
        _err(f"interrupted; the job keeps running on the server (progress_id {job.progress_id})")
        return ExitCode.INTERRUPTED
    except JobFailedError as exc:
        if args.json:
            _print_json(exc.body)
        raise
    state = job.last
    from scenarist.client.suites import dump_suite, record_from_scenario

    if args.out:
        records = [record_from_scenario(s) for s in scenarios]
        _write_output(dump_suite(records, _out_format(args)), args.out)
    if args.json:
        body = state.to_dict()
        body["out"] = args.out
        _print_json(body)
        return 0
    print(f"Generated {state.completed_scenarios}/{state.total_scenarios} scenarios "
          f"({state.failed_scenarios} failed) — progress_id {job.progress_id}")
    for scenario in scenarios:
        print(f"  {scenario.id}\t{scenario.name}")
    for error in state.errors or []:
        _err(f"warning: scenario #{error.get('index')}: {error.get('message')}")
    _print_reports(state.coverage or {}, state.diversity or {})
    if args.out:
        print(f"Wrote {len(scenarios)} scenarios to {args.out}")
    return 0


def _out_format(args: argparse.Namespace) -> str:
    from scenarist.client.suites import SuiteError, format_of

    try:
        return format_of(args.out, args.format).value
    except SuiteError as exc:
        raise UsageError(str(exc)) from None


def _print_reports(coverage: dict, diversity: dict) -> None:
    parts = []
    for section in ("intents", "tools", "policies"):
        part = coverage.get(section)
        if isinstance(part, dict) and part.get("total"):
            parts.append(f"{section} {part.get('covered', 0)}/{part['total']}")
        elif isinstance(part, str):
            parts.append(f"{section} {part}")
    if parts:
        print("Coverage: " + ", ".join(parts))
    if diversity.get("max_pairwise_similarity") is not None:
        print(f"Diversity: max pairwise similarity {diversity['max_pairwise_similarity']}, "
              f"near duplicates {diversity.get('near_duplicates', 0)}")


def _local_request(args: argparse.Namespace, mode: str):
    """The GenerationRequest of a run in this process (--offline or --estimate) from an agent directory."""
    if not args.agent_dir:
        raise UsageError(f"{mode} needs --agent-dir DIR")
    if args.agent is not None:
        raise UsageError(f"--agent ID is for a server; with {mode} use --agent-dir DIR")
    for flag, value in (("--test-profile", args.test_profile), ("--kb", args.kb)):
        if value:
            raise UsageError(f"{flag} names server rows and does not apply to {mode}")
    from pydantic import ValidationError

    from scenarist.generation.types import GenerationRequest
    from scenarist.offline import personalities_by_name

    try:
        request = GenerationRequest(
            scenario_type=args.type, num_scenarios=args.num, attack_type=args.attack_type,
            expected_outcome=args.expected_outcome, extra_instructions=args.extra_instructions or "",
            personalities=personalities_by_name(args.personality) if args.personality else [],
            generate_expected_outcomes=bool(args.generate_expected_outcomes),
            first_message=args.first_message if args.first_message is not None else "Hello",
            caller_tool_ids=_caller_tool_ids(args.tool_id or []), seed=args.seed or 0,
        )
    except ValidationError as exc:
        raise UsageError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
    return request


def _estimate(args: argparse.Namespace) -> int:
    """Print the LLM calls and tokens the request would use on the LLM engine; no server, no LLM call."""
    if args.out:
        raise UsageError("--estimate writes no scenarios; drop --out")
    request = _local_request(args, "--estimate")
    from scenarist.llm.config import LLMConfig
    from scenarist.offline import estimate_from_dir

    try:
        config = LLMConfig.from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    report = estimate_from_dir(args.agent_dir, request, max_output_tokens=config.max_output_tokens,
                               context_tokens=config.context_tokens)
    if args.json:
        _print_json(report)
        return 0
    per = report["per_scenario"]
    print(f"Estimate for {report['num_scenarios']} {report['scenario_type']} scenarios "
          f"(agent prompt {report['agent_prompt_chars']:,} characters); no LLM was called.")
    print(f"  LLM calls: {report['llm_calls']} ({per['llm_calls']} per scenario; re-asks of a weak model add more)")
    print(f"  prompt tokens: {report['prompt_tokens']:,} ({per['prompt_tokens']:,} per scenario), of which "
          f"{report['uncached_prompt_tokens']:,} uncached with prefix caching ({per['uncached_prompt_tokens']:,} "
          f"per scenario)")
    print(f"  completion tokens: at most {report['max_completion_tokens']:,} (the calls' output bounds)")
    print(f"  largest prompt: {report['largest_prompt_tokens']:,} tokens (SCENARIST_LLM_CONTEXT_TOKENS must "
          f"hold it plus its answer)")
    for schema, row in report["by_call"].items():
        print(f"  {schema}: {row['calls']} call(s), {row['prompt_tokens']:,} prompt tokens")
    return 0


def _generate_offline(args: argparse.Namespace) -> int:
    """Run the generation library in this process from an agent directory (no server)."""
    request = _local_request(args, "--offline")
    from scenarist.client.suites import dump_suite
    from scenarist.offline import generate_from_dir, suite_records, summary

    _, result = generate_from_dir(args.agent_dir, request)
    records = suite_records(result, request, tags=args.tag or [], folder_path=args.folder)
    report = summary(result)
    fmt = _out_format(args) if args.out else (args.format or "yaml")
    if args.out:
        _write_output(dump_suite(records, fmt), args.out)
    if args.json:
        _print_json({**report, "out": args.out, **({} if args.out else {"scenarios": records})})
    else:
        if not args.out:
            _write_output(dump_suite(records, fmt), None)
        stream = sys.stderr if not args.out else sys.stdout
        print(f"Generated {report['count']}/{args.num} {args.type} scenarios offline "
              f"({len(report['errors'])} failed)", file=stream)
        cov = report["coverage"]
        print(f"Coverage: intents {cov['intents']}, tools {cov['tools']}, policies {cov['policies']}", file=stream)
        div = report["diversity"]
        print(f"Diversity: max pairwise similarity {div['max_pairwise_similarity']}, "
              f"near duplicates {div['near_duplicates']}", file=stream)
        if args.out:
            print(f"Wrote {report['count']} scenarios to {args.out}", file=stream)
    for error in report["errors"]:
        _err(f"warning: scenario #{error['index']}: {error['message']}")
    return ExitCode.OK if report["count"] else ExitCode.FAILED


def _caller_tool_ids(ids: list[str]) -> list[str]:
    from scenarist.catalog.caller_tools import normalise_caller_tool_ids

    try:
        return normalise_caller_tool_ids(ids)
    except ValueError as exc:
        raise UsageError(f"--tool-id: {exc}") from None


# ---------------------------------------------------------------- metrics


def cmd_metrics_list(args: argparse.Namespace) -> int:
    """List the project's metrics."""
    metrics = list(_client(args).metrics.iter(agent_id=args.agent))
    if args.json:
        _print_json([m.to_dict() for m in metrics])
    else:
        for metric in metrics:
            print(f"{metric.id}\t{metric.name}\t{metric.eval_type}")
    return 0


def cmd_metrics_clean(args: argparse.Namespace) -> int:
    """Turn a rough metric idea into a clean LLM-judge description."""
    text = args.description
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {text[1:]}: {exc.strerror or exc}") from None
    client = _client(args)
    if args.sync:
        result = client.metrics.clean_sync(agent=args.agent, metric_description=text, eval_type=args.eval_type)
    else:
        job = client.metrics.clean(agent=args.agent, metric_description=text, eval_type=args.eval_type)
        result = job.wait(progress=not args.no_progress, poll_interval=args.poll_interval, timeout=args.timeout)
    if args.json:
        _print_json(result.to_dict())
        return 0
    print(result.clean_description)
    if result.enum_values:
        print("\nLabels: " + ", ".join(result.enum_values))
    if result.thinking:
        print("\n--- thinking ---")
        print(result.thinking)
    return 0


# ---------------------------------------------------------------- scenarios


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    """List scenarios (filters: --agent, --folder, --type, --tag)."""
    scenarios = list(_client(args).scenarios.iter(
        agent_id=args.agent, folder_path=args.folder, scenario_type=args.type,
        tags=",".join(args.tag) if args.tag else None))
    if args.json:
        _print_json([s.to_dict() for s in scenarios])
    else:
        for scenario in scenarios:
            print(f"{scenario.id}\t{scenario.scenario_type}\t{scenario.name}")
    return 0


def cmd_scenarios_export(args: argparse.Namespace) -> int:
    """Write scenarios to a YAML / JSON / CSV suite file (or stdout)."""
    from scenarist.client.suites import dump_suite, export_records

    fmt = args.format or (_out_format(args) if args.out else "yaml")
    records = export_records(_client(args), agent_id=args.agent, folder_path=args.folder)
    _write_output(dump_suite(records, fmt), args.out)
    if args.out:
        _err(f"Exported {len(records)} scenario(s) to {args.out}")
    return 0


def cmd_scenarios_import(args: argparse.Namespace) -> int:
    """Recreate the scenarios of a suite file on an agent (folders and test profiles created as needed)."""
    from scenarist.client.suites import SuiteError, import_records, read_suite_file

    try:
        records = read_suite_file(args.file, args.format)
    except (SuiteError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    report = import_records(_client(args), args.agent, records, allow_duplicates=args.allow_duplicates)
    for warning in report.warnings:
        _err(f"warning: {warning}")
    if args.json:
        _print_json({"created": [s.id for s in report.created], "skipped": report.skipped,
                     "warnings": report.warnings})
        return 0
    print(f"Imported {len(report.created)} scenario(s) into agent {args.agent}.")
    if report.skipped:
        print(f"Skipped {len(report.skipped)} scenario(s) agent {args.agent} already has (same name, instructions "
              f"and expected outcome); pass --allow-duplicates to create them again.")
    return 0


def cmd_personalities_list(args: argparse.Namespace) -> int:
    """List the personalities the project can use."""
    rows = _client(args).personalities.list()
    if args.json:
        _print_json([p.to_dict() for p in rows])
    else:
        for row in rows:
            print(f"{row.id}\t{row.name}\t{row.language}")
    return 0


# ---------------------------------------------------------------- parser


def _add_connection_flags(parser: argparse.ArgumentParser, *, main: bool) -> None:
    """--url / --api-key / --retries / --json, accepted before or after the sub-command (sub-command values win)."""
    default = None if main else argparse.SUPPRESS
    parser.add_argument("--url", default=default,
                        help="server base URL (env SCENARIST_URL, default http://127.0.0.1:8000)")
    parser.add_argument("--api-key", default=default, help="API key (env SCENARIST_API_KEY or CEKURA_API_KEY)")
    parser.add_argument("--retries", type=int, default=default, help="retries on connection errors (default 3)")
    parser.add_argument("--json", action="store_true", default=False if main else argparse.SUPPRESS,
                        help="machine-readable output")


def _job_flags() -> argparse.ArgumentParser:
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    flags.add_argument("--poll-interval", type=float, default=1.0, help="seconds between polls (default 1)")
    flags.add_argument("--timeout", type=float, default=None, help="give up waiting after this many seconds")
    return flags


def register_client_commands(parser: argparse.ArgumentParser, sub: Any) -> None:
    """Add the client sub-commands (and the global --url/--api-key/--json flags) to the main parser."""
    _add_connection_flags(parser, main=True)
    conn = argparse.ArgumentParser(add_help=False)
    _add_connection_flags(conn, main=False)
    job = _job_flags()

    def leaf(group: Any, name: str, func: Callable, help: str, *parents: argparse.ArgumentParser):
        p = group.add_parser(name, help=help, parents=[conn, *parents], description=func.__doc__)
        p.set_defaults(func=guarded(func))
        return p

    agents = sub.add_parser("agents", help="manage agents on a server").add_subparsers(dest="agents_cmd",
                                                                                       required=True)
    p = leaf(agents, "list", cmd_agents_list, "list agents")
    p.add_argument("--q", default=None, help="name search")
    p = leaf(agents, "get", cmd_agents_get, "show one agent")
    p.add_argument("id", type=int)
    p = leaf(agents, "create", cmd_agents_create, "create an agent from a directory")
    p.add_argument("--from-dir", required=True, metavar="DIR",
                   help="agent.yaml|json and/or prompt.md|txt, tools.json|yaml, variables.json|yaml, kb/")
    p.add_argument("--name", default=None, help="agent name (default: agent.yaml's, else the directory's name)")
    p = leaf(agents, "delete", cmd_agents_delete, "delete an agent")
    p.add_argument("id", type=int)

    p = leaf(sub, "generate", cmd_generate, "generate scenarios (on a server, or --offline in-process)", job)
    p.add_argument("--agent", type=int, default=None, metavar="ID", help="agent id on the server")
    p.add_argument("--offline", action="store_true", help="no server: run the generation library here")
    p.add_argument("--estimate", action="store_true",
                   help="no server, no LLM call: print the LLM calls and tokens this request would use "
                        "(reads --agent-dir)")
    p.add_argument("--agent-dir", default=None, metavar="DIR", help="(--offline) the agent directory")
    p.add_argument("-n", "--num", type=int, default=10, help="number of scenarios, 1-100 (default 10)")
    p.add_argument("--type", choices=SCENARIO_TYPES, default="workflow")
    p.add_argument("--attack-type", choices=ATTACK_TYPES, default=None, help="required for red_teaming_*")
    p.add_argument("--personality", action="append", default=None, metavar="ID|NAME",
                   help="personality id (server) or catalogue name (--offline); repeatable")
    p.add_argument("--test-profile", type=int, default=None, metavar="ID")
    p.add_argument("--kb", type=int, action="append", default=None, metavar="FILE_ID", help="KB file id; repeatable")
    p.add_argument("--extra-instructions", default=None)
    p.add_argument("--expected-outcome", default=None)
    p.add_argument("--generate-expected-outcomes", action="store_true")
    p.add_argument("--first-message", default=None)
    p.add_argument("--tag", action="append", default=None, help="repeatable")
    p.add_argument("--tool-id", action="append", default=None, help="caller tool id, e.g. TOOL_END_CALL; repeatable")
    p.add_argument("--folder", default=None, metavar="PATH", help="dotted folder path")
    p.add_argument("--seed", type=int, default=None, help="(--offline) seed of the offline engine")
    p.add_argument("--out", default=None, metavar="FILE", help="also write the suite to FILE")
    p.add_argument("--format", choices=SUITE_FORMATS, default=None, help="suite format (default: from --out)")

    metrics = sub.add_parser("metrics", help="metrics on a server").add_subparsers(dest="metrics_cmd", required=True)
    p = leaf(metrics, "list", cmd_metrics_list, "list metrics")
    p.add_argument("--agent", type=int, default=None)
    p = leaf(metrics, "clean", cmd_metrics_clean, "clean a metric description", job)
    p.add_argument("description", help='the draft text, "-" for stdin or @FILE')
    p.add_argument("--agent", type=int, required=True, metavar="ID")
    p.add_argument("--eval-type", choices=EVAL_TYPES, default="boolean")
    p.add_argument("--sync", action="store_true", help="use the synchronous endpoint")

    scenarios = sub.add_parser("scenarios", help="scenarios on a server").add_subparsers(dest="scenarios_cmd",
                                                                                         required=True)
    p = leaf(scenarios, "list", cmd_scenarios_list, "list scenarios")
    p.add_argument("--agent", type=int, default=None)
    p.add_argument("--folder", default=None)
    p.add_argument("--type", default=None, help="scenario_type filter")
    p.add_argument("--tag", action="append", default=None)
    p = leaf(scenarios, "export", cmd_scenarios_export, "export scenarios to a suite file")
    p.add_argument("--agent", type=int, default=None)
    p.add_argument("--folder", default=None, metavar="PATH")
    p.add_argument("--format", choices=SUITE_FORMATS, default=None, help="default: from --out, else yaml")
    p.add_argument("--out", default=None, metavar="FILE", help="default: stdout")
    p = leaf(scenarios, "import", cmd_scenarios_import, "import a suite file into an agent")
    p.add_argument("file")
    p.add_argument("--agent", type=int, required=True, metavar="ID")
    p.add_argument("--format", choices=SUITE_FORMATS, default=None, help="default: from the extension")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="also create scenarios the agent already has (same name, instructions, expected outcome)")

    personalities = sub.add_parser("personalities", help="personalities on a server").add_subparsers(
        dest="personalities_cmd", required=True)
    leaf(personalities, "list", cmd_personalities_list, "list personalities")
