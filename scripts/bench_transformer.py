"""CPU throughput of the transformer backend with a BERT-base-sized model (random weights).

usage: .venv/bin/python scripts/bench_transformer.py [--messages N] [--chars 120] [--max-length 64 128]
                                                     [--compare]

The model is built from a config (12 layers, hidden 768, 12 heads, vocabulary 30,000: the size of
BERTje), so the figures are the speed of a real fine-tuned model of that size, not its quality.
It runs through `TransformerBackend` (tokenisation, length-sorted batches of 32, padding, the
heads) on ONE thread, on corpus messages of about 120 characters (`--chars`). `--compare` also times
the default scikit-learn backend's `predict_proba` on the same analysed messages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# One thread for every numeric library; set before numpy or torch is imported (in main).
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def messages(count: int, chars: int) -> list[str]:
    from training.corpus import deduplicate, read_batches

    texts = [e.text.replace("\n", " ") for e in deduplicate(read_batches())]
    pool = [t[: chars + 20] for t in texts if len(t) >= chars - 20]
    if len(pool) < 100:  # few messages that long: join neighbours into rants
        pool, current = [], ""
        for text in texts:
            current = f"{current} {text}".strip()
            if len(current) >= chars:
                pool.append(current[: chars + 20])
                current = ""
    return [pool[i % len(pool)] for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=640)
    parser.add_argument("--chars", type=int, default=120, help="about this many characters a message")
    parser.add_argument("--max-length", type=int, nargs="+", default=[64, 128])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--compare", action="store_true", help="also time the default backend")
    args = parser.parse_args()

    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from training.transformer import build_wordpiece_tokenizer
    from triage.engine.analysis import Analysis
    from triage.engine.normalize import normalize
    from triage.engine.transformer_backend import (
        TransformerBackend,
        TransformerSettings,
        analysis_text,
        label_maps,
    )

    torch.set_num_threads(1)
    torch.manual_seed(0)
    texts = messages(args.messages, args.chars)
    tokenizer = build_wordpiece_tokenizer(texts, vocab_size=8000)
    id2label, label2id = label_maps()
    config = BertConfig(vocab_size=30_000, id2label=id2label, label2id=label2id)  # BERT-base sizes
    model = BertForSequenceClassification(config)
    parameters = sum(p.numel() for p in model.parameters()) / 1e6
    analyses = [Analysis(original=text, normalized=normalize(text)) for text in texts]
    mean_chars = statistics.mean(map(len, texts))
    print(
        f"{len(texts)} messages of {mean_chars:.0f} characters on average; model {parameters:.0f}M parameters"
    )
    print(f"device {args.device}, torch threads {torch.get_num_threads()}, batch {args.batch_size}")
    transformer_rate = 0.0
    for max_length in args.max_length:
        settings = TransformerSettings(max_length=max_length, batch_size=args.batch_size)
        backend = TransformerBackend(model, tokenizer, settings, device=args.device)
        backend.predict(analyses[: args.batch_size])  # warm up
        start = time.perf_counter()
        output = backend.predict(analyses)
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        ids, _ = backend.encode([analysis_text(a, settings.text_view) for a in analyses])
        tokens = statistics.mean(map(len, ids))
        rate = len(texts) / seconds
        transformer_rate = transformer_rate or rate
        print(
            f"max length {max_length:>3}: {rate:7.1f} messages/s ({1000 / rate:.1f} ms per message), "
            f"{tokens:.0f} tokens per message, {sum(output.truncated)} of {len(texts)} truncated"
        )
    if args.compare:
        from triage.engine import Engine

        engine = Engine.load()
        analysed = engine.analyzer.analyse_many(texts)
        engine.backend.predict_proba(analysed[:32])
        start = time.perf_counter()
        engine.backend.predict_proba(analysed)
        backend_rate = len(texts) / (time.perf_counter() - start)
        start = time.perf_counter()
        engine.classify_many(texts)
        engine_rate = len(texts) / (time.perf_counter() - start)
        print(
            f"default backend predict_proba: {backend_rate:.0f} messages/s "
            f"({backend_rate / transformer_rate:.0f}x the transformer at max length {args.max_length[0]}); "
            f"whole engine (analysis + default backend + decisions): {engine_rate:.0f} messages/s"
        )


if __name__ == "__main__":
    main()
