"""Time the rules stage alone: microseconds per message of about 120 characters.

    .venv/bin/python scripts/bench_rules.py [--repeat 20]

Messages are built from a fixed list of short Dutch sentences (harmless and hostile), joined to
about 120 characters; normalisation and tokenisation are done before timing.
"""

from __future__ import annotations

import argparse
import random
import time

from triage.engine.normalize import normalize
from triage.engine.rules import RuleSet
from triage.engine.tokenize import build_tokenizer

SENTENCES = [
    "Goedemorgen, wanneer wordt het afval in onze straat weer opgehaald?",
    "De wethouder moet aftreden, dit beleid is een schande voor de stad.",
    "Ik ga je vermoorden als je dit plan doorzet, vuile kankerlijer.",
    "Wij weten waar je woont, Kerkstraat 12, pas maar op.",
    "Die motie gaat de oppositie afmaken, echt een sterk verhaal.",
    "Vrouwen horen niet in de politiek, ga terug naar je aanrecht.",
    "Bedankt voor uw snelle reactie, de lantaarnpaal brandt weer.",
    "Kanker wat een kutweer vandaag, de fietsenstalling staat onder water.",
    "Wie zegt dat ik je ga slaan? Ik vind alleen dat u slecht luistert.",
    "Burgemeester bedreigd na de raadsvergadering, de politie onderzoekt het.",
    "Het gemeentehuis is open van 9 tot 17 uur, bel 14 020 voor een afspraak.",
    "Jij bent de volgende, we zien je wel een keer alleen 🔪",
    "Moslims en joden en christenen zijn allemaal welkom in ons buurthuis.",
    "Hou je bek, domme trut, niemand heeft op jou gestemd.",
    "Iemand moet hem eens flink in elkaar slaan na die stemming.",
    "Mijn buurman parkeert steeds op de stoep, kan de boa langskomen?",
]


def messages(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = ""
        while len(text) < 110:
            text = (text + " " + rng.choice(SENTENCES)).strip()
        out.append(text[:130])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    nlp = build_tokenizer()
    started = time.process_time()
    rules = RuleSet.load()
    load_s = time.process_time() - started
    texts = messages(args.count)
    prepared = [(n, nlp(n.text)) for n in map(normalize, texts)]
    for normalized, doc in prepared:  # warm the per-token cache, as a running service has it
        rules.apply(normalized, doc)
    best = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        for normalized, doc in prepared:
            rules.apply(normalized, doc)
        best = min(best, time.process_time() - started)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"rules {rules.version}: load {load_s * 1000:.0f} ms, {len(texts)} messages, {mean_chars:.0f} chars"
    )
    print(f"apply: {best / len(texts) * 1e6:.1f} us per message (best of {args.repeat})")


if __name__ == "__main__":
    main()
