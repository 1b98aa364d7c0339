#!/usr/bin/env python3
"""PyTorch CPU reference for `looplab bench mlp`: MLP training throughput (and digits accuracy).

Mirrors LoopTrain's MLPBenchmark and the protocol of ../shared/anchors/train_torch.py:
ReLU MLP, PyTorch default init, softmax cross-entropy, AdamW (lr 1e-3, weight decay 0.01), one
full step (forward, loss, backward, update) per batch.

  synthetic: random N(0,1) inputs and labels, one warm-up window, then examples/s over the median
             of 7 windows of --steps steps.
  digits:    --digits PATH (the CSV with a `label` column): stratified 80/20 split (seeded),
             standardised on the train part, 20 epochs of batch 64; examples/s from the median
             epoch time over epochs 2..20, and the test accuracy.

Prints one JSON object per line: {"case": ..., "value": ..., "unit": ...}. Exits with status 3
when torch or numpy is missing.
"""
import argparse
import json
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"mlp.py: {e.name} is not installed", file=sys.stderr)
    sys.exit(3)


def make_mlp(widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def step(model, opt, x, y):
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def synthetic(widths, batch, steps):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(batch, widths[0], generator=g)
    y = torch.randint(widths[-1], (batch,), generator=g)
    torch.manual_seed(1)
    model = make_mlp(widths)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

    def window():
        for _ in range(steps):
            loss = step(model, opt, x, y)
        loss.item()

    window()
    samples = []
    for _ in range(7):
        t0 = time.perf_counter()
        window()
        samples.append(time.perf_counter() - t0)
    return batch * steps / statistics.median(samples)


def digits(path, epochs=20, batch=64, seed=0):
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
    x, y = table[:, :-1], table[:, -1].astype(np.int64)
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for c in np.unique(y):  # stratified 80/20
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = int(round(len(idx) * 0.2))
        test_idx += list(idx[:n_test])
        train_idx += list(idx[n_test:])
    xtr, ytr, xte, yte = x[train_idx], y[train_idx], x[test_idx], y[test_idx]
    mean, std = xtr.mean(0), xtr.std(0)
    std[std < 1e-12] = 1  # constant pixels keep scale 1
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    xtr, ytr, xte, yte = (torch.from_numpy(np.ascontiguousarray(a)) for a in (xtr, ytr, xte, yte))
    torch.manual_seed(seed)
    model = make_mlp([x.shape[1], 256, 256, int(y.max()) + 1])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(seed)
    n = xtr.shape[0]
    epoch_times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=shuffle)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            step(model, opt, xtr[idx], ytr[idx]).item()
        epoch_times.append(time.perf_counter() - t0)
    model.eval()
    with torch.no_grad():
        accuracy = (model(xte).argmax(1) == yte).float().mean().item()
    return n / statistics.median(epoch_times[1:]), accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--digits", help="path to digits.csv (skipped when absent)")
    parser.add_argument("--runs", type=int, default=3, help="digits: median over this many runs")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = lambda case, value, unit: print(json.dumps({"case": case, "value": value, "unit": unit}), flush=True)
    out("64-256-256-10 b64", synthetic([64, 256, 256, 10], 64, args.steps), "examples/s")
    out("784-512-512-10 b256", synthetic([784, 512, 512, 10], 256, max(5, args.steps // 2)), "examples/s")
    if args.digits:
        runs = [digits(args.digits) for _ in range(args.runs)]
        out("digits train", statistics.median(r[0] for r in runs), "examples/s")
        out("digits test accuracy", statistics.median(r[1] for r in runs), "accuracy")


if __name__ == "__main__":
    main()
