"""Drives `looplab mcp` with the official MCP Python SDK client, as an agent would.

    mcp_session.py session BINARY STORE [--allow-exec]
    mcp_session.py cancel  BINARY STORE

Prints one JSON object (the transcript summary) on stdout for MCPServerTests to check; the
checks themselves live in the Swift test, so this script only records what the server did.
Exits 3 with "skip: ..." when the `mcp` package is missing (the Swift test decides whether
that is allowed).
"""
import asyncio
import json
import os
import sys
import time

try:
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
except ImportError as error:  # pragma: no cover - reported to the Swift test
    print(f"skip: the mcp package is not installed ({error})")
    sys.exit(3)


def field(obj, camel, snake):
    """A field of the SDK's models: mcp 1.x spells them camelCase, 2.x snake_case."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def text_of(result):
    """The first text content item of a tool result."""
    return next((c.text for c in result.content if getattr(c, "type", None) == "text"), "")


def payload(result):
    """A tool result's JSON (its text), or None for an error result."""
    if field(result, "isError", "is_error"):
        return None
    return json.loads(text_of(result))


def objective(params):
    # A bowl with its minimum at x = 1, y = -2, layers = 3; "act" adds a constant offset.
    return ((params["x"] - 1) ** 2 + (params["y"] + 2) ** 2 + 0.1 * (params["layers"] - 3) ** 2
            + (0.0 if params["act"] == "relu" else 0.5))


async def session(binary, store, extra):
    server = StdioServerParameters(command=binary, args=["mcp", "--store", store, *extra], env=dict(os.environ))
    out = {}
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            tools = await s.list_tools()
            out["tools"] = sorted(t.name for t in tools.tools)
            out["schemas_ok"] = all(field(t, "inputSchema", "input_schema").get("type") == "object" for t in tools.tools)

            created = await s.call_tool("create_study", {
                "name": "bowl",
                "space": {
                    "x": {"distribution": "uniform", "low": -5, "high": 5},
                    "y": {"distribution": "uniform", "low": -5, "high": 5},
                    "layers": {"distribution": "integers", "low": 1, "high": 6},
                    "act": {"distribution": "choice", "values": ["relu", "tanh"]},
                },
                "goal": {"metric": "loss", "direction": "minimize"},
                "max_trials": 40,
                "seed": 7,
            })
            out["created"] = payload(created)

            values = []
            numbers = []
            for _ in range(20):
                asked = payload(await s.call_tool("ask", {"study": "bowl"}))
                trial = asked["trials"][0]
                numbers.append(trial["number"])
                loss = objective(trial["params"])
                values.append(loss)
                told = payload(await s.call_tool("tell", {"study": "bowl", "number": trial["number"],
                                                          "metrics": {"loss": loss, "acc": 1 / (1 + loss)}}))
                assert told["status"] == "complete", told
            out["numbers"] = numbers
            out["values"] = values
            out["best"] = payload(await s.call_tool("best", {"study": "bowl"}))
            out["summary"] = payload(await s.call_tool("study_summary", {"study": "bowl"}))
            out["trials_best_first"] = payload(await s.call_tool("trials", {"study": "bowl", "order": "best", "limit": 3}))

            # A failed trial: told as failed, its error kept.
            asked = payload(await s.call_tool("ask", {"study": "bowl"}))
            failed = await s.call_tool("tell", {"study": "bowl", "number": asked["trials"][0]["number"],
                                                 "status": "failed", "error": "CUDA out of memory"})
            out["failed"] = payload(failed)

            report = await s.call_tool("report", {"study": "bowl"})
            out["report"] = payload(report)
            out["report_images"] = [field(c, "mimeType", "mime_type") for c in report.content if getattr(c, "type", None) == "image"]
            out["importance"] = payload(await s.call_tool("importance", {"study": "bowl"}))

            out["remembered"] = payload(await s.call_tool("remember", {
                "text": "tanh activations cost 0.5 loss on the bowl", "tags": ["finding"], "study": "bowl"}))
            out["recall"] = payload(await s.call_tool("recall", {"query": "activation"}))

            # Bad arguments are error results with a message, never a crash.
            out["errors"] = {
                "unknown_study": text_of(await s.call_tool("ask", {"study": "nope"})),
                "bad_argument": text_of(await s.call_tool("ask", {"study": "bowl", "count": 2})),
                "missing_goal_metric": text_of(await s.call_tool("tell", {"study": "bowl", "number": 0, "metrics": {"acc": 1}})),
                "bad_space": text_of(await s.call_tool("create_study", {
                    "name": "bad", "space": {"lr": {"distribution": "loguniform", "low": 0, "high": 1}},
                    "goal": {"metric": "loss"}})),
                "unknown_tool": text_of(await s.call_tool("no_such_tool", {})),
            }

            ran = await s.call_tool("run_loop", {"code": "let st = study(\"bowl\")\nprint(st.best.params.layers)\n40 + 2"})
            out["run_loop"] = payload(ran)
            denied = await s.call_tool("run_loop", {"code": "exec(\"echo hello\")"})
            out["run_loop_exec"] = payload(denied)
            written = await s.call_tool("run_loop", {"code": "write_file(\"mcp-written.txt\", \"x\")"})
            out["run_loop_write"] = payload(written)

            # The dashboard: started once, served on loopback, the same address the second time.
            first = payload(await s.call_tool("dashboard", {}))
            again = payload(await s.call_tool("dashboard", {}))
            import urllib.request
            with urllib.request.urlopen(first["url"] + "/study/bowl", timeout=10) as page:
                out["dashboard"] = {"started": [first["started"], again["started"]], "same": first["url"] == again["url"],
                                    "status": page.status, "mentions_study": "bowl" in page.read().decode()}

            resources = await s.list_resources()
            out["resources"] = sorted(str(r.uri) for r in resources.resources)
            study = await s.read_resource("looplab://study/bowl")
            out["resource_study"] = json.loads(study.contents[0].text)
    print(json.dumps(out))


async def cancel(binary, store):
    """Starts a run_loop that never ends, cancels it, and checks that it stopped: its notes stop
    growing, and the server still answers."""
    server = StdioServerParameters(command=binary, args=["mcp", "--store", store], env=dict(os.environ))
    out = {}
    code = "var i = 0\nwhile true {\n  i += 1\n  if i % 20000 == 0 { remember(\"tick \\(i)\", tags: [\"tick\"]) }\n}"
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            started = time.monotonic()
            cancelled = False
            with anyio.move_on_after(2.0) as scope:
                await s.call_tool("run_loop", {"code": code, "timeout_seconds": 600})
            cancelled = scope.cancelled_caught
            out["cancelled_after"] = round(time.monotonic() - started, 2)
            out["cancelled"] = cancelled
            await asyncio.sleep(1.0)
            count = "len(recall(\"tick\", limit: 100000))"
            first = payload(await s.call_tool("run_loop", {"code": count}))
            await asyncio.sleep(1.5)
            second = payload(await s.call_tool("run_loop", {"code": count}))
            out["ticks"] = [first["value"], second["value"]]
            # The time budget stops code too, with its own message.
            budget = payload(await s.call_tool("run_loop", {"code": "while true { }", "timeout_seconds": 0.5}))
            out["budget_error"] = budget["error"]
    print(json.dumps(out))


def main():
    mode, binary, store = sys.argv[1:4]
    if mode == "session":
        asyncio.run(session(binary, store, sys.argv[4:]))
    elif mode == "cancel":
        asyncio.run(cancel(binary, store))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
