#!/usr/bin/env python3
"""Reference for `looplab bench workers`: Optuna with RDB storage, N worker processes on one study.

The same protocol as Looplab's side: a trivial objective (a 2-D quadratic), the random sampler
(so the storage, not the sampler, is measured), `--trials` trials in total split over `--workers`
processes, all on one study in `--storage` (an SQLAlchemy URL: sqlite:///path or
postgresql://...). Throughput is trials / (last trial's completion - first trial's start), read
from the storage, so process and import start-up are left out on both sides. Needs psycopg2 for PostgreSQL. Prints one JSON
object: {"case": "workers N", "value": trials_per_second, "trials": count}. Needs `optuna`;
exits 3 when it is missing.
"""
import argparse
import json
import multiprocessing
import sys

try:
    import optuna
except ImportError:
    print("optuna is not installed", file=sys.stderr)
    sys.exit(3)


def objective(trial):
    x, y = trial.suggest_float("x", 0.0, 1.0), trial.suggest_float("y", 0.0, 1.0)
    return (x - 0.3) ** 2 + (y - 0.6) ** 2


def work(storage, name, trials, seed):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
    study.optimize(objective, n_trials=trials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--storage", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--study", default="bench")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    optuna.create_study(study_name=args.study, storage=args.storage, direction="minimize", load_if_exists=True)
    shares = [args.trials // args.workers + (1 if i < args.trials % args.workers else 0) for i in range(args.workers)]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=work, args=(args.storage, args.study, n, i)) for i, n in enumerate(shares)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    study = optuna.load_study(study_name=args.study, storage=args.storage)
    done = [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]
    start = min(t.datetime_start for t in done)
    end = max(t.datetime_complete for t in done)
    seconds = (end - start).total_seconds()
    print(json.dumps({"case": f"workers {args.workers}", "value": len(done) / seconds if seconds > 0 else None, "trials": len(done)}))


if __name__ == "__main__":
    main()
