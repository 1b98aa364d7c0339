#!/usr/bin/env python3
"""Reference for `looplab bench propose`: Optuna's samplers on the same objectives and protocol.

Sequential trials (ask, evaluate, tell), no noise, no pruning, minimise; reports the median over
seeds of the simple regret (best-so-far minus the known minimum) at each checkpoint, and the
median ask+tell time (objective excluded) over trials k-9..k at --timing-trials on hartmann6.
Prints one JSON object per line. Needs `optuna` (pip install optuna); exits 3 when it is missing.
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import optuna
except ImportError:
    print("optuna is not installed", file=sys.stderr)
    sys.exit(3)

A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA6 = [1.0, 1.2, 3.0, 3.2]
MIXED_CHOICES = {"c0": 0.5, "c1": 0.9, "c2": 0.1, "c3": 0.7, "c4": 0.3}


def hartmann6(x):
    return -sum(ALPHA6[i] * math.exp(-sum(A6[i][j] * (x[j] - P6[i][j]) ** 2 for j in range(6))) for i in range(4))


def branin(t):
    x1, x2 = t.suggest_float("x1", -5.0, 10.0), t.suggest_float("x2", 0.0, 15.0)
    b, c, tt = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6.0) ** 2 + 10.0 * (1 - tt) * math.cos(x1) + 10.0


def hartmann(t):
    return hartmann6([t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(1, 7)])


def rosenbrock(t):
    x = [t.suggest_float(f"x{i}", -2.0, 2.0) for i in range(1, 5)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))


def hartmann_mixed(t):
    x = [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(1, 4)]
    x.append(MIXED_CHOICES[t.suggest_categorical("x4", list(MIXED_CHOICES))])
    x += [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(5, 7)]
    return hartmann6(x)


OBJECTIVES = {
    "branin": (branin, 5 / (4 * math.pi)),
    "hartmann6": (hartmann, -3.32236801141551),
    "rosenbrock4": (rosenbrock, 0.0),
    "hartmann6_mixed": (hartmann_mixed, -3.30439),
}


def sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name}")


def run(objective, name, seed, trials, timings=None):
    study = optuna.create_study(direction="minimize", sampler=sampler(name, seed))
    best, curve = math.inf, []
    for _ in range(trials):
        start = time.perf_counter()
        trial = study.ask()
        value = objective(trial)  # suggest_* calls are part of asking; evaluation is cheap here
        middle = time.perf_counter()
        study.tell(trial, value)
        if timings is not None:
            timings.append(middle - start + time.perf_counter() - middle)
        best = min(best, value)
        curve.append(best)
    return curve


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--checkpoints", default="10,25,50,100")
    parser.add_argument("--samplers", default="tpe")
    parser.add_argument("--timing-trials", type=int, default=500)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    checkpoints = [int(c) for c in args.checkpoints.split(",") if int(c) <= args.trials]
    for name in args.samplers.split(","):
        for objective_name, (objective, known_min) in OBJECTIVES.items():
            curves = [run(objective, name, seed, args.trials) for seed in range(args.seeds)]
            for k in checkpoints:
                regret = statistics.median(c[k - 1] - known_min for c in curves)
                print(json.dumps({"objective": objective_name, "sampler": name, "trials": k, "median_regret": regret}), flush=True)
        if args.timing_trials > 0:
            timings = []
            run(hartmann, name, 0, args.timing_trials, timings)
            window = timings[args.timing_trials - 10:]
            print(json.dumps({"timing": name, "trials": args.timing_trials, "ms_per_trial": statistics.median(window) * 1000}), flush=True)


if __name__ == "__main__":
    main()
