#!/usr/bin/env python3
"""Reference for `looplab mcp`: ask+tell round-trip latency over stdio, Looplab vs optuna-mcp.

Each server is started as a subprocess and driven through the official MCP Python SDK client, so
both sides pay the same client, JSON-RPC and pipe costs. Per server: create a minimising study on
x, y in [-5, 5] with random sampling, then N sequential trials of ask -> (x-1)^2+(y+2)^2 -> tell.
Each ask+tell pair is timed with perf_counter; the objective is computed in between and is part
of the pair (it is a couple of float operations). By default both stores are SQLite files in a temp
dir under $TMPDIR, so both sides pay the same filesystem's fsync cost; the numbers depend heavily on it.

Prints one JSON object per server on stdout, progress on stderr. Needs the `mcp` package (exits 3
without it). optuna-mcp 0.2.0 needs Python >= 3.12 and mcp < 2 (it imports mcp.server.fastmcp,
removed in mcp 2.x); when it cannot be imported the optuna line says "skipped" and Looplab is still
measured. Use a mcp>=2 client: mcp 1.x's client adds a per-call schema compile to every tool result.
optuna-mcp can then run from its own venv via --optuna-python. Example:

    CLIENT_VENV/bin/python mcp_optuna.py --servers optuna,looplab --optuna-python OPTUNA_VENV/bin/python \
        --looplab .build/release/looplab --trials 500
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from importlib import metadata

try:
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
except ImportError as exc:
    print(f"the mcp package is not importable ({exc}); pip install mcp", file=sys.stderr)
    sys.exit(3)

LOW, HIGH = -5.0, 5.0
STUDY = "mcp-bench"


def objective(params):
    return (params["x"] - 1.0) ** 2 + (params["y"] + 2.0) ** 2


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def percentile(values, q):
    """Linear interpolation between closest ranks (numpy's default), so p90 of 100 values is stable."""
    s = sorted(values)
    if not s:
        return math.nan
    pos = (len(s) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def field(obj, snake, camel):
    """mcp 1.x models use camelCase attributes, 2.x snake_case; read whichever this SDK has."""
    return getattr(obj, snake, getattr(obj, camel, None))


class ToolError(RuntimeError):
    pass


async def call(session, tool, args):
    """Call a tool and return its JSON payload, raising with the server's own text on isError.

    The text item is parsed first because both servers put the full JSON there; structuredContent
    is the fallback for a server that only fills that.
    """
    result = await session.call_tool(tool, args)
    texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
    if field(result, "is_error", "isError"):
        raise ToolError(f"{tool}({json.dumps(args)}) returned isError: {' | '.join(texts) or '(no text)'}")
    if texts:
        try:
            return json.loads(texts[0])
        except json.JSONDecodeError:
            pass
    structured = field(result, "structured_content", "structuredContent")
    if structured is not None:
        return structured
    raise ToolError(f"{tool} returned no JSON payload: {texts[:1]!r}")


def leaf_errors(exc):
    """The SDK runs its transport in anyio task groups, so our own errors arrive wrapped in ExceptionGroups."""
    if isinstance(getattr(exc, "exceptions", None), (list, tuple)):
        return [leaf for sub in exc.exceptions for leaf in leaf_errors(sub)]
    return [exc]


def require_tools(tools, needed):
    names = {t.name for t in tools}
    missing = [n for n in needed if n not in names]
    if missing:
        raise ToolError(f"server lacks tools {missing}; it has {sorted(names)}")


class OptunaTarget:
    """optuna-mcp: one implicit current study per server process, so ask/tell take no study name."""

    name = "optuna-mcp"

    # Optuna's distribution JSON, which optuna-mcp's ask wants on every call (it asks with
    # fixed_distributions rather than storing a space on the study).
    SPACE = {
        p: {"name": "FloatDistribution", "attributes": {"low": LOW, "high": HIGH, "log": False, "step": None}}
        for p in ("x", "y")
    }

    def __init__(self, python, storage):
        self.python = python
        self.storage = storage
        self.info = {}

    def preflight(self):
        """Import optuna_mcp in the interpreter that will run it; a failure here is a skip, not an error.

        Done in a subprocess because the server may live in another venv than this client, and
        because the import failure (e.g. mcp 2.x installed) is the most useful skip reason.
        """
        probe = (
            "import json, importlib.metadata as m, optuna_mcp.server\n"
            "print(json.dumps({k: m.version(k) for k in ('optuna-mcp', 'optuna', 'mcp')}))"
        )
        try:
            proc = subprocess.run([self.python, "-c", probe], capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"cannot run {self.python}: {exc}"
        if proc.returncode != 0:
            lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
            return (f"optuna_mcp not importable with {self.python} (point --optuna-python at a venv with "
                    f"optuna-mcp and mcp<2): {lines[-1] if lines else proc.returncode}")
        self.info = json.loads(proc.stdout.strip().splitlines()[-1])
        return None

    def server_params(self, tmpdir):
        args = ["-m", "optuna_mcp"]
        if self.storage == "sqlite":
            # A SQLite file like Looplab's store, so both sides persist every ask and tell.
            args += ["--storage", f"sqlite:///{os.path.join(tmpdir, 'optuna.db')}"]
        return StdioServerParameters(command=self.python, args=args)

    async def setup(self, session):
        require_tools((await session.list_tools()).tools, ["create_study", "set_sampler", "ask", "tell"])
        await call(session, "create_study", {"study_name": STUDY, "directions": ["minimize"]})
        # TPE is the default; random keeps the sampler's own work negligible on both sides.
        await call(session, "set_sampler", {"name": "RandomSampler"})

    async def ask(self, session):
        out = await call(session, "ask", {"search_space": self.SPACE})
        return out["trial_number"], out["params"]

    async def tell(self, session, number, value):
        await call(session, "tell", {"trial_number": number, "values": value})

    def extra(self, server_info):
        # serverInfo.version is the MCP SDK's version for FastMCP servers, not optuna-mcp's.
        return {
            "version": self.info.get("optuna-mcp"),
            "optuna": self.info.get("optuna"),
            "server_mcp_sdk": self.info.get("mcp"),
            "store": f"{self.storage} (--storage sqlite:///TMP/optuna.db)" if self.storage == "sqlite" else "in-memory",
            "sampler": "RandomSampler (set_sampler)",
        }


class LooplabTarget:
    """`looplab mcp` (docs/mcp.md): named studies, the space declared once at create_study."""

    name = "looplab"

    def __init__(self, binary, trials):
        self.binary = binary
        self.trials = trials

    def preflight(self):
        # A missing binary is an error rather than a skip: asking for looplab means wanting its number.
        if not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
            raise ToolError(f"--looplab {self.binary!r} is not an executable file")
        return None

    def server_params(self, tmpdir):
        return StdioServerParameters(command=self.binary, args=["mcp", "--store", os.path.join(tmpdir, "looplab.db")])

    async def setup(self, session):
        require_tools((await session.list_tools()).tools, ["create_study", "ask", "tell"])
        await call(session, "create_study", {
            "name": STUDY,
            "space": {p: {"distribution": "uniform", "low": LOW, "high": HIGH} for p in ("x", "y")},
            "goal": {"metric": "value", "direction": "minimize"},
            "strategy": "random",
            # Explicit so a default trial budget cannot stop the run early.
            "max_trials": self.trials,
        })

    async def ask(self, session):
        out = await call(session, "ask", {"study": STUDY, "n": 1})
        trials = out.get("trials") or []
        if not trials:
            raise ToolError(f"ask returned no trial (stop_reason={out.get('stop_reason')!r}): {json.dumps(out)}")
        return trials[0]["number"], trials[0]["params"]

    async def tell(self, session, number, value):
        await call(session, "tell", {"study": STUDY, "number": number, "metrics": {"value": value}})

    def extra(self, server_info):
        return {
            "version": server_info.version if server_info else None,
            "store": "sqlite (--store TMP/looplab.db)",
            "sampler": "strategy random",
        }


async def measure(target, trials, tmpdir, errlog):
    t_start = time.perf_counter()
    async with stdio_client(target.server_params(tmpdir), errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            startup_s = time.perf_counter() - t_start
            server_info = field(init, "server_info", "serverInfo")
            await target.setup(session)

            latencies, numbers, best = [], set(), math.inf
            t_loop = time.perf_counter()
            for i in range(trials):
                t0 = time.perf_counter()
                number, params = await target.ask(session)
                value = objective(params)
                await target.tell(session, number, value)
                latencies.append(time.perf_counter() - t0)

                # Cheap sanity checks so a server that ignores the space or reuses trials can't post a fast number.
                if not all(LOW <= params[p] <= HIGH for p in ("x", "y")):
                    raise ToolError(f"trial {number} params outside [-5, 5]: {params}")
                if number in numbers:
                    raise ToolError(f"trial number {number} handed out twice")
                numbers.add(number)
                best = min(best, value)
                if (i + 1) % 100 == 0:
                    log(f"  {target.name}: {i + 1}/{trials} trials, last-100 median "
                        f"{percentile(latencies[-100:], 0.5) * 1e3:.2f} ms")
            total_s = time.perf_counter() - t_loop

    ms = [x * 1e3 for x in latencies]
    tail = ms[-100:]
    return {
        "server": target.name,
        "trials": trials,
        "median_ms": round(percentile(ms, 0.5), 3),
        "p90_ms": round(percentile(ms, 0.9), 3),
        "last100_median_ms": round(percentile(tail, 0.5), 3),
        "last100_p90_ms": round(percentile(tail, 0.9), 3),
        "first100_median_ms": round(percentile(ms[:100], 0.5), 3),
        "total_s": round(total_s, 3),
        "startup_s": round(startup_s, 3),
        "best_value": round(best, 6),
        "client_mcp_sdk": metadata.version("mcp"),
        **target.extra(server_info),
    }


async def run_one(target, trials, timeout):
    """Measure one server; any failure becomes an {"error"} line so the other server still runs."""
    try:
        skip = target.preflight()
    except ToolError as exc:
        return {"server": target.name, "error": str(exc)}
    if skip:
        return {"server": target.name, "skipped": skip}

    with tempfile.TemporaryDirectory(prefix="mcp-bench-") as tmpdir:
        # The server's stderr goes to a file: optuna-mcp logs every request there, and on a
        # failure its tail is the best clue.
        errpath = os.path.join(tmpdir, "server.stderr")
        with open(errpath, "w") as errlog:
            try:
                with anyio.fail_after(timeout):
                    return await measure(target, trials, tmpdir, errlog)
            except Exception as exc:  # noqa: BLE001 - reported, not swallowed
                leaves = leaf_errors(exc)
                if not all(isinstance(e, ToolError) for e in leaves):
                    # Not the server's own error text: its stderr is the best clue (crash, bad flag).
                    errlog.flush()
                    with open(errpath, errors="replace") as f:
                        tail = "\n".join(f.read().splitlines()[-20:])
                    if tail.strip():
                        log(f"--- {target.name} server stderr (last lines) ---\n{tail}\n---")
                msgs = []
                for e in leaves:
                    text = f"timed out after {timeout}s" if isinstance(e, TimeoutError) else (str(e) or "")
                    msgs.append(f"{type(e).__name__}: {text}".rstrip(": "))
                return {"server": target.name, "error": "; ".join(msgs)}


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", "--servers", dest="servers", default="optuna",
                    help="comma-separated: optuna, looplab (default optuna)")
    ap.add_argument("--looplab", metavar="BINARY", help="looplab executable, run as `BINARY mcp --store ...`")
    ap.add_argument("--trials", "-n", type=int, default=500)
    ap.add_argument("--optuna-python", default=sys.executable,
                    help="interpreter that has optuna-mcp installed (default: this one)")
    ap.add_argument("--optuna-storage", choices=["sqlite", "memory"], default="sqlite",
                    help="sqlite (default) matches Looplab's SQLite store; memory is optuna-mcp's default")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per server, startup included")
    a = ap.parse_args()

    servers = [s.strip() for s in a.servers.split(",") if s.strip()]
    unknown = [s for s in servers if s not in ("optuna", "looplab")]
    if unknown or not servers:
        ap.error(f"unknown server(s) {unknown}; use optuna and/or looplab")
    if "looplab" in servers and not a.looplab:
        ap.error("--looplab BINARY is required for the looplab server")
    if a.trials < 1:
        ap.error("--trials must be >= 1")

    client_sdk = metadata.version("mcp")
    if int(client_sdk.split(".")[0]) < 2:
        # mcp 1.x's ClientSession recompiles a tool's output schema on every call_tool (10-20 ms per
        # call on a 2-core machine); 2.x caches it. Only tools that declare an outputSchema pay.
        log(f"warning: client mcp {client_sdk} re-validates output schemas per call; prefer a mcp>=2 client")

    failed = False
    for s in servers:
        target = OptunaTarget(a.optuna_python, a.optuna_storage) if s == "optuna" else LooplabTarget(a.looplab, a.trials)
        log(f"{target.name}: {a.trials} ask+tell trials over stdio")
        row = await run_one(target, a.trials, a.timeout)
        if "median_ms" in row:
            log(f"{target.name} {row.get('version')}: median {row['median_ms']:.2f} ms, p90 {row['p90_ms']:.2f} ms, "
                f"last-100 median {row['last100_median_ms']:.2f} ms, total {row['total_s']:.1f} s "
                f"(startup {row['startup_s']:.1f} s, best {row['best_value']:.4f})")
        else:
            log(f"{target.name}: {row.get('skipped') or row.get('error')}")
            failed = failed or "error" in row
        print(json.dumps(row), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(anyio.run(main))
