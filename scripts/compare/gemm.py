#!/usr/bin/env python3
"""numpy (OpenBLAS) SGEMM GFLOPS on float32 products, the reference for `looplab bench gemm`.

Same protocol as LoopTrain's GEMMBenchmark: C = op(A) @ op(B), row-major, N(0,1) inputs, output
preallocated, one warm-up call, median of 7 repetitions of >= --min-time seconds each.
--shapes takes `N` (square) or `MxKxN[:FORM]`, FORM one of nn (default), nt (B transposed, as in
a layer's forward pass), tn (A transposed, as in a weight gradient) or tt; transposed operands are
stored transposed and passed to numpy as `.T` views, so OpenBLAS sees the transpose flag.

OpenBLAS picks its kernel from the environment: some machines set OPENBLAS_CORETYPE (and
OPENBLAS_L2_SIZE) to work around old builds, which selects a slower kernel. For a fair reference
run this script with both unset, in that command only:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 python3 scripts/compare/gemm.py

Prints one line per shape: `shape gflops`; `--json` prints a JSON list of {"shape", "gflops"},
the shape written `MxKxN:FORM`.
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("gemm.py: numpy is not installed (python3 -m pip install numpy)")


def median_seconds(fn, min_time):
    fn()
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time:
            break
        calls = max(calls * 2, int(calls * min_time / max(dt, 1e-9) * 1.2))
    samples = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - t0) / calls)
    return statistics.median(samples)


def parse_shape(spec):
    dims, _, form = spec.partition(":")
    parts = [int(d) for d in dims.split("x")]
    m, k, n = parts * 3 if len(parts) == 1 else parts
    form = form or "nn"
    if form not in ("nn", "nt", "tn", "tt"):
        sys.exit(f"gemm.py: bad form {form!r} in {spec!r} (nn, nt, tn or tt)")
    return m, k, n, form


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="512,1024,2048")
    parser.add_argument("--min-time", type=float, default=0.1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if os.environ.get(var):
            print(f"gemm.py: warning: {var}={os.environ[var]} is set; numpy may use a slower kernel", file=sys.stderr)
    rng = np.random.default_rng(0)
    results = []
    for spec in args.shapes.split(","):
        m, k, n, form = parse_shape(spec)
        a = rng.standard_normal((k, m) if form[0] == "t" else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if form[1] == "t" else (k, n), dtype=np.float32)
        op_a = a.T if form[0] == "t" else a
        op_b = b.T if form[1] == "t" else b
        c = np.empty((m, n), dtype=np.float32)
        seconds = median_seconds(lambda: np.matmul(op_a, op_b, out=c), args.min_time)
        results.append({"shape": f"{m}x{k}x{n}:{form}", "gflops": 2 * m * k * n / seconds / 1e9})
    if args.json:
        print(json.dumps(results))
    else:
        for r in results:
            print(f"{r['shape']} {r['gflops']:.1f}")


if __name__ == "__main__":
    main()
