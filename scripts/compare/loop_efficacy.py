#!/usr/bin/env python3
"""Optuna + PyTorch reference for `looplab bench loop`: the whole research loop as an Optuna user
writes it (the protocol of ../shared/anchors/loop_efficacy_optuna.py), on the files the bench
wrote, so both sides search the same space on the same data for the same wall-clock budget.

  digits: --dir D holds train.csv, val.csv, test.csv (standardised features, column `label`).
          TPE (seeded) proposes lr, hidden, layers, wd, batch, epochs; each trial trains an MLP
          from scratch with AdamW and is scored by validation accuracy; the best configuration
          is refit (seed 12345) and scored on the test file.
  charlm: --dir D holds corpus.txt (first 90% trains, last 10% validates). TPE proposes lr, dim,
          layers, batch of the char-level GPT in gpt.py (nanoGPT's layout, the same as Looplab's
          `gpt`); each trial trains for --trial-budget seconds; scored by validation bits per
          character.

Prints one JSON object: trials, the best-so-far trajectory [[seconds, value], ...] (seconds from
the start of the loop, after data loading), best value and params, and for digits the refit test
accuracy. Exits with status 3 when a module it needs is missing.
"""
import argparse
import json
import math
import os
import sys
import time

try:
    import numpy as np
    import optuna
    import torch
except ImportError as e:
    print(f"loop_efficacy.py: {e.name} is not installed", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    label = header.index("label")
    features = np.delete(table, label, axis=1)
    return torch.tensor(features, dtype=torch.float32), torch.tensor(table[:, label], dtype=torch.long)


def digits(a):
    (xtr, ytr), (xva, yva), (xte, yte) = (load(os.path.join(a.dir, f"{p}.csv")) for p in ("train", "val", "test"))
    classes = int(max(ytr.max(), yva.max(), yte.max())) + 1

    def fit(p, seed):
        torch.manual_seed(seed)
        layers, d = [], xtr.shape[1]
        for _ in range(p["layers"]):
            layers += [torch.nn.Linear(d, p["hidden"]), torch.nn.ReLU()]
            d = p["hidden"]
        m = torch.nn.Sequential(*layers, torch.nn.Linear(d, classes))
        opt = torch.optim.AdamW(m.parameters(), lr=p["lr"], weight_decay=p["wd"])
        g = torch.Generator().manual_seed(seed)
        for _ in range(p["epochs"]):
            perm = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(xtr), p["batch"]):
                b = perm[i:i + p["batch"]]
                opt.zero_grad()
                torch.nn.functional.cross_entropy(m(xtr[b]), ytr[b]).backward()
                opt.step()
        return m

    def accuracy(m, x, y):
        with torch.no_grad():
            return (m(x).argmax(1) == y).float().mean().item()

    space = {"lr": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True),
             "hidden": optuna.distributions.CategoricalDistribution([32, 64, 128, 256]),
             "layers": optuna.distributions.IntDistribution(1, 3),
             "wd": optuna.distributions.FloatDistribution(1e-6, 1e-2, log=True),
             "batch": optuna.distributions.CategoricalDistribution([32, 64, 128]),
             "epochs": optuna.distributions.IntDistribution(5, 40)}
    # Outside the clock: PyTorch's first calls set up its kernels and threads, once per process.
    fit({"lr": 1e-3, "hidden": 32, "layers": 1, "wd": 1e-4, "batch": 128, "epochs": 1}, 0)
    result = search(a, space, "maximize", lambda p, n: accuracy(fit(p, a.seed * 100000 + n), xva, yva))
    result["test"] = accuracy(fit(result["params"], 12345), xte, yte)
    return result


def charlm(a):
    import gpt
    chars, train, val = gpt.corpus(os.path.join(a.dir, "corpus.txt"))
    ctx, heads = 32, 4

    def bpc(p, n):
        torch.manual_seed(n)
        model = gpt.GPT(len(chars), ctx, p["dim"], p["layers"], heads)
        opt = gpt.optimizer(model)
        for group in opt.param_groups:
            group["lr"] = p["lr"]
        g = torch.Generator().manual_seed(n)
        end = time.perf_counter() + a.trial_budget
        while time.perf_counter() < end:
            gpt.train_steps(model, opt, train, 1, p["batch"], ctx, g)
        return gpt.validation_loss(model, val, ctx) / math.log(2)

    space = {"lr": optuna.distributions.FloatDistribution(1e-4, 1e-2, log=True),
             "dim": optuna.distributions.CategoricalDistribution([32, 64, 128]),
             "layers": optuna.distributions.IntDistribution(1, 3),
             "batch": optuna.distributions.CategoricalDistribution([16, 32, 64])}
    # Outside the clock, as for digits: the first forward and backward pass sets PyTorch up.
    warm = gpt.GPT(len(chars), ctx, 32, 1, heads)
    gpt.train_steps(warm, gpt.optimizer(warm), train, 1, 16, ctx, torch.Generator().manual_seed(0))
    gpt.validation_loss(warm, val, ctx)
    return search(a, space, "minimize", bpc)


def search(a, space, direction, objective):
    study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=a.seed))
    better = (lambda v, b: v > b) if direction == "maximize" else (lambda v, b: v < b)
    best, params, trajectory, n = None, None, [], 0
    start = time.perf_counter()
    while time.perf_counter() - start < a.budget:
        trial = study.ask(space)
        value = objective(trial.params, n)
        study.tell(trial, value)
        n += 1
        if math.isfinite(value) and (best is None or better(value, best)):
            best, params = value, dict(trial.params)
            trajectory.append([round(time.perf_counter() - start, 3), value])
    return {"trials": n, "trajectory": trajectory, "best": best, "params": params}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("task", choices=["digits", "charlm"])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds for the whole search")
    ap.add_argument("--trial-budget", type=float, default=3.0, help="charlm: training seconds per trial")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(json.dumps(digits(a) if a.task == "digits" else charlm(a)), flush=True)


if __name__ == "__main__":
    main()
