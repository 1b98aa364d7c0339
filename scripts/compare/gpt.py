#!/usr/bin/env python3
"""PyTorch CPU reference for `looplab bench gpt`: char-level GPT training throughput and
validation loss after a fixed number of steps.

The model is nanoGPT's layout, as LoopTrain's GPT and ../shared/anchors/train_torch.py: token and
position embeddings, pre-LN blocks (causal self-attention, GELU MLP), final LayerNorm, output head
tied to the token embedding, no biases, N(0, 0.02) init (residual projections 0.02/sqrt(2L)).
AdamW lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on 2-D parameters only.

  throughput: random tokens (vocab 27), batch 32; one warm-up window, then tokens/s over the
              median of 7 windows of --steps steps (a step = batch, forward, loss, backward, AdamW).
  quality:    --corpus PATH: the text's characters are the vocabulary, the first 90% trains and
              the last 10% validates; --quality-steps steps of random training windows, then the
              mean loss over non-overlapping validation windows (at most 256, evenly spaced) —
              the same windows `eval` uses in Looplab.

Prints one JSON object per line: {"case": ..., "value": ..., "unit": ...}. Exits with status 3
when torch is missing.
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(f"gpt.py: {e.name} is not installed", file=sys.stderr)
    sys.exit(3)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim, bias=False)
        self.c_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in self.c_attn(x).split(c, dim=2))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, bias=False)
        self.attn = Attention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim, bias=False)
        self.c_fc = nn.Linear(dim, 4 * dim, bias=False)
        self.c_proj = nn.Linear(4 * dim, dim, bias=False)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, ctx, dim, layers, heads):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim, bias=False)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("c_proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1))


def optimizer(model):
    params = list(model.parameters())
    return torch.optim.AdamW([{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
                              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
                             lr=1e-3, betas=(0.9, 0.99), eps=1e-8)


def batch(tokens, b, t, gen):
    ix = torch.randint(len(tokens) - t, (b,), generator=gen)
    offsets = ix[:, None] + torch.arange(t)
    return tokens[offsets], tokens[offsets + 1]


def train_steps(model, opt, tokens, steps, b, t, gen):
    for _ in range(steps):
        x, y = batch(tokens, b, t, gen)
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()


def throughput(args):
    gen = torch.Generator().manual_seed(0)
    tokens = torch.randint(27, (20_000,), generator=gen)
    torch.manual_seed(1)
    model = GPT(27, args.ctx, args.dim, args.layers, args.heads)
    opt = optimizer(model)
    train_steps(model, opt, tokens, args.steps, args.batch, args.ctx, gen)
    samples = []
    for _ in range(7):
        t0 = time.perf_counter()
        train_steps(model, opt, tokens, args.steps, args.batch, args.ctx, gen)
        samples.append(time.perf_counter() - t0)
    return args.batch * args.ctx * args.steps / statistics.median(samples)


def validation_loss(model, tokens, ctx, max_windows=256, chunk=64):
    ctx = min(ctx, len(tokens) - 1)
    available = (len(tokens) - 1) // ctx
    count = min(available, max_windows)
    starts = [(i * available // count if available > max_windows else i) * ctx for i in range(count)]
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(starts), chunk):
            s = torch.tensor(starts[i:i + chunk])[:, None] + torch.arange(ctx)
            total += model(tokens[s], tokens[s + 1]).item() * len(s)
    model.train()
    return total / len(starts)


def corpus(path):
    """The text's characters (the vocabulary), its first 90% and its last 10% as token tensors."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    cut = int(len(data) * 0.9)
    return chars, data[:cut], data[cut:]


def quality(args):
    chars, train, val = corpus(args.corpus)
    torch.manual_seed(1)
    model = GPT(len(chars), args.ctx, args.dim, args.layers, args.heads)
    opt = optimizer(model)
    gen = torch.Generator().manual_seed(0)
    train_steps(model, opt, train, args.quality_steps, args.batch, args.ctx, gen)
    return validation_loss(model, val, args.ctx)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--ctx", type=int, default=32)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--corpus", help="a text file for the validation-loss case")
    parser.add_argument("--quality-steps", type=int, default=500)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = lambda case, value, unit: print(json.dumps({"case": case, "value": value, "unit": unit}), flush=True)
    name = f"L{args.layers} H{args.heads} C{args.dim} T{args.ctx} b{args.batch}"
    out(f"{name} train", throughput(args), "tokens/s")
    if args.corpus:
        out(f"{name} val loss @{args.quality_steps}", quality(args), "loss")


if __name__ == "__main__":
    main()
