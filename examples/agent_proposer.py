#!/usr/bin/env python3
"""A small scripted "agent" for `strategy: agent("python3 examples/agent_proposer.py")`.

It speaks Looplab's agent protocol (docs/agents.md): a JSON request on stdin (the space, the
goal, every trial so far, the study's notes, the budget left), one JSON answer on stdout:
{"params": {...}, "rationale": "..."} (or {"proposals": [...]} when n > 1). No network and no
model: it does what a careful researcher would do by hand, so the protocol can be tried and
tested anywhere. Put a real model behind the same protocol by replacing `propose` (docs/agents.md
shows a CLI wired this way).

Strategy: the first proposals spread over the space; after that, mostly small steps around the
best trial so far, sometimes a fresh point, never a configuration already tried.

Options (for tests and demos of the protocol's error handling):
  --bad-first   answer with an out-of-range value first; correct it when the error comes back
  --always-bad  never give a valid answer (Looplab falls back to its default strategy)
  --sleep S     wait S seconds before answering (to show agent_timeout)
"""
import json
import math
import random
import sys
import time


def active(param, config):
    """Whether a conditional parameter applies, given the values chosen so far."""
    when = param.get("when")
    if not when:
        return True
    value = config.get(when["parameter"])
    ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
    return value is not None and ops.get(when["op"], lambda a, b: False)(value, when["value"])


def sample(param, rng, around=None, scale=0.15):
    """A value of one parameter: uniform over its range, or a step of `scale` around `around`."""
    kind = param["distribution"]
    if kind == "choice":
        if around is not None and rng.random() < 0.8:
            return around
        return rng.choice(param["values"])
    low, high = param["low"], param["high"]
    if kind == "loguniform":
        lo, hi = math.log(low), math.log(high)
        centre = math.log(around) if around is not None else None
        x = rng.uniform(lo, hi) if centre is None else min(hi, max(lo, centre + rng.gauss(0, scale * (hi - lo))))
        return math.exp(x)
    if kind == "uniform":
        x = rng.uniform(low, high) if around is None else around + rng.gauss(0, scale * (high - low))
        return min(high, max(low, x))
    step = param.get("step", 1)
    count = (high - low) // step
    k = rng.randint(0, count) if around is None else round((around - low) / step + rng.gauss(0, max(1.0, scale * count)))
    return low + min(count, max(0, k)) * step


def propose(request, rng):
    """One configuration and why."""
    space = request["space"]
    goal = request["goal"]
    tried = [t for t in request["trials"] if t["status"] != "stale"]
    seen = {json.dumps(t["params"], sort_keys=True) for t in tried}
    done = [t for t in tried if t["status"] == "complete" and t["value"] is not None]
    sign = -1 if goal["direction"] == "maximize" else 1
    best = min(done, key=lambda t: sign * t["value"]) if done else None
    for attempt in range(100):
        explore = best is None or len(done) < 3 or rng.random() < 0.2
        config = {}
        for p in space:
            if active(p, config):
                around = None if explore else best["params"].get(p["name"])
                config[p["name"]] = sample(p, rng, around)
        if json.dumps(config, sort_keys=True) not in seen:
            break
    if best is None or explore:
        why = f"exploring: {len(done)} complete trial(s) so far, trying a fresh region of the space"
    else:
        why = (f"trial #{best['number']} is best ({goal['metric']} {best['value']:.4g}); "
               f"a small step around it")
    return config, why


def main():
    request = json.load(sys.stdin)
    if request.get("protocol") != "looplab.agent/1":
        sys.exit(f"agent_proposer: unknown protocol {request.get('protocol')!r}")
    args = sys.argv[1:]
    if "--sleep" in args:
        time.sleep(float(args[args.index("--sleep") + 1]))
    # Seeded by the history, so a rerun of the same study proposes the same points.
    rng = random.Random(len(request["trials"]) * 7919 + (1 if request.get("feedback") else 0))
    if request.get("feedback"):
        print(f"agent_proposer: Looplab said: {request['feedback']['error']}", file=sys.stderr)
    proposals = []
    for _ in range(request.get("n", 1)):
        config, why = propose(request, rng)
        request["trials"].append({"number": -1, "status": "running", "params": config, "metrics": {}, "value": None, "error": None})
        proposals.append({"params": config, "rationale": why})
    bad = "--always-bad" in args or ("--bad-first" in args and not request.get("feedback"))
    if bad:
        numeric = next((p for p in request["space"] if p["distribution"] != "choice"), request["space"][0])
        proposals[0]["params"][numeric["name"]] = 1e12 if numeric["distribution"] != "choice" else "no-such-choice"
    answer = proposals[0] if len(proposals) == 1 else {"proposals": proposals}
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
