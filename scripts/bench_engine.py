"""Benchmark of the engine on this machine: load time, throughput, latency, memory.

usage: .venv/bin/python scripts/bench_engine.py [--messages N] [--no-transformer]

Runs on ONE core (thread pools pinned to 1). Messages of about 120 characters come from the
project corpus. The engine figures are taken in a child process where torch cannot be imported,
as in the default install (`make run` installs no torch; spaCy's thinc imports torch whenever it
is installed, which alone adds about 230 MB and a second of start-up). For comparison it times a
BERT-base-sized transformer built from a config (random weights: the speed of a real fine-tuned
model of that size, not its quality).
"""

from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse
import importlib.abc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by the benchmark)")
        return None


def messages(count: int) -> list[str]:
    from training.corpus import deduplicate, read_batches

    texts = [e.text.replace("\n", " ") for e in deduplicate(read_batches())]
    pool = [t[:140] for t in texts if len(t) >= 100] or texts
    return [pool[i % len(pool)] for i in range(count)]


def child(*arguments: str) -> str:
    command = [sys.executable, __file__, *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout


def bench_engine(count: int) -> dict[str, float]:
    from triage.engine import Engine

    start = time.perf_counter()
    engine = Engine.load()
    load = time.perf_counter() - start
    texts = messages(count)
    engine.classify_many(texts[:200])  # warm caches
    start = time.perf_counter()
    for offset in range(0, len(texts), 512):
        engine.classify_many(texts[offset : offset + 512])
    batch = len(texts) / (time.perf_counter() - start)
    latencies = []
    for text in texts[:2000]:
        start = time.perf_counter()
        engine.classify(text)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    return {
        "load_s": load,
        "batch_msgs_per_s": batch,
        "single_p50_ms": statistics.median(latencies),
        "single_p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "mean_chars": sum(map(len, texts)) / len(texts),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_transformer(count: int) -> dict[str, float]:
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    torch.set_num_threads(1)
    texts = messages(count)
    raw = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.train_from_iterator(
        texts, trainers.WordPieceTrainer(vocab_size=8000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]"
    )
    config = BertConfig(
        vocab_size=30000, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, num_labels=7
    )
    model = BertForSequenceClassification(config).eval()
    with torch.inference_mode():
        start = time.perf_counter()
        for offset in range(0, len(texts), 32):
            batch = tokenizer(
                texts[offset : offset + 32], padding=True, truncation=True, max_length=64, return_tensors="pt"
            )
            model(**batch)
        throughput = len(texts) / (time.perf_counter() - start)
        latencies = []
        for text in texts[:50]:
            start = time.perf_counter()
            model(**tokenizer([text], truncation=True, max_length=64, return_tensors="pt"))
            latencies.append((time.perf_counter() - start) * 1000)
    return {"batch_msgs_per_s": throughput, "single_p50_ms": statistics.median(latencies)}


def cold_start() -> float:
    start = time.perf_counter()
    from triage.engine import Engine

    Engine.load()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--no-transformer", action="store_true")
    parser.add_argument("--child", choices=["cold", "engine"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.meta_path.insert(0, _NoTorch())
        print(json.dumps(cold_start() if args.child == "cold" else bench_engine(args.messages)))
        return
    cold = json.loads(child("--child", "cold"))
    print(f"cold start (import + Engine.load in a fresh process): {cold:.2f} s")
    figures = json.loads(child("--child", "engine", "--messages", str(args.messages)))
    print(f"Engine.load (imports done): {figures['load_s']:.2f} s")
    print(
        f"batch: {figures['batch_msgs_per_s']:.0f} messages/s on one core (mean {figures['mean_chars']:.0f} chars)"
    )
    print(f"single classify: p50 {figures['single_p50_ms']:.2f} ms, p99 {figures['single_p99_ms']:.2f} ms")
    print(f"peak resident memory: {figures['rss_mb']:.0f} MB")
    if not args.no_transformer:
        transformer = bench_transformer(min(args.messages, 640))
        ratio = figures["batch_msgs_per_s"] / transformer["batch_msgs_per_s"]
        print(
            f"BERT-base-sized transformer (CPU, 1 thread, max 64 tokens): {transformer['batch_msgs_per_s']:.0f} "
            f"messages/s in batches of 32, single p50 {transformer['single_p50_ms']:.1f} ms; "
            f"the engine is {ratio:.0f}x faster in batch"
        )


if __name__ == "__main__":
    main()
