"""Fine-tuning of a transformer for the triage task, and a tiny BERT for tests and offline users.

    model, tokenizer = load_base_checkpoint(Path("~/models/robbert-2023-dutch-base"))  # local only
    # or, with no checkpoint at hand:
    tokenizer = build_wordpiece_tokenizer(texts); model = build_tiny_bert(tokenizer)
    folder = train_transformer(model, tokenizer, train_examples, config, dev_examples)

The loss is binary cross-entropy over the seven label outputs plus cross-entropy over the four
target outputs (see `triage.engine.transformer_backend`). Training and inference share the
backend's tokenisation and padding. Every random choice takes the config's seed; on the CPU the
same data and config give the same weights.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from tqdm.auto import tqdm
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    PreTrainedTokenizerFast,
    get_linear_schedule_with_warmup,
)

from training.corpus import Example
from triage.engine.labels import LABELS, TARGETS
from triage.engine.model_io import ModelConfig
from triage.engine.transformer_backend import (
    OUTPUT_NAMES,
    TransformerBackend,
    TransformerSettings,
    label_maps,
    model_text,
    save_transformer_model,
)
from triage.errors import ModelError

THRESHOLD_GRID = np.round(np.arange(0.3, 0.7 + 1e-9, 0.025), 3)
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
TINY_BERT = "tiny-bert"


@dataclass
class TransformerTrainConfig:
    name: str = "triage-nl-transformer"
    version: str = "0.1.0"
    seed: int = 13
    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_steps: int | None = None  # stop early (tests, smoke runs)
    settings: TransformerSettings = field(default_factory=TransformerSettings)
    base: str = TINY_BERT  # a local checkpoint folder, or TINY_BERT to build one from the texts

    @classmethod
    def from_sections(cls, model: dict[str, Any], backend: dict[str, Any], seed: int, base_dir: Path) -> Self:
        """From a training TOML's [model] and [backend] tables (backend kind = "transformer")."""
        base = str(backend.get("base", TINY_BERT))
        if base != TINY_BERT:
            base = str((base_dir / Path(base).expanduser()).resolve())
        view = backend.get("text_view", "normalized")
        if view not in ("normalized", "original"):
            raise ValueError(f"text_view {view!r} is not 'normalized' or 'original'")
        settings = TransformerSettings(
            max_length=int(backend.get("max_length", 128)),
            batch_size=int(backend.get("predict_batch_size", 32)),
            text_view=view,
        )
        max_steps = backend.get("max_steps")
        return cls(
            name=str(model.get("name", cls.name)),
            version=str(model.get("version", cls.version)),
            seed=seed,
            epochs=int(backend.get("epochs", cls.epochs)),
            batch_size=int(backend.get("batch_size", cls.batch_size)),
            learning_rate=float(backend.get("learning_rate", cls.learning_rate)),
            weight_decay=float(backend.get("weight_decay", cls.weight_decay)),
            warmup_ratio=float(backend.get("warmup_ratio", cls.warmup_ratio)),
            max_steps=None if max_steps is None else int(max_steps),
            settings=settings,
            base=base,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "weight_decay": self.weight_decay,
            "warmup_ratio": self.warmup_ratio,
            "max_steps": self.max_steps,
            "base": self.base,
        }


def build_wordpiece_tokenizer(
    texts: Sequence[str], vocab_size: int = 4000, max_length: int = 512
) -> PreTrainedTokenizerFast:
    """A BERT-style WordPiece tokenizer (lowercased, accents stripped) trained on `texts`.

    The tokenizers trainer breaks ties between equally frequent merges in hash-map order, so two
    trainings can differ in a few rare pieces; the tokenizer is saved with the model, and
    fine-tuning from a given tokenizer and model is deterministic.
    """
    raw = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    raw.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS), show_progress=False
    )
    raw.train_from_iterator(texts, trainer)
    cls_id, sep_id = raw.token_to_id("[CLS]"), raw.token_to_id("[SEP]")
    raw.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=raw,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=max_length,
    )


def build_tiny_bert(
    tokenizer: PreTrainedTokenizerBase,
    hidden_size: int = 64,
    layers: int = 2,
    heads: int = 2,
    intermediate_size: int = 128,
    max_positions: int = 512,
    seed: int = 13,
) -> BertForSequenceClassification:
    """A small BERT with random weights and the backend's 11 outputs."""
    torch.manual_seed(seed)
    id2label, label2id = label_maps()
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=intermediate_size,
        max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id or 0,
        id2label=id2label,
        label2id=label2id,
    )
    return BertForSequenceClassification(config)


def load_base_checkpoint(path: Path, seed: int = 13) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """A checkpoint on local disk with a fresh 11-output classification head; never downloads."""
    if not path.is_dir():
        raise ModelError(f"{path} is not a local checkpoint folder (nothing is downloaded)")
    torch.manual_seed(seed)
    id2label, label2id = label_maps()
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            path,
            local_files_only=True,
            trust_remote_code=False,
            num_labels=len(OUTPUT_NAMES),
            id2label=id2label,
            label2id=label2id,
            ignore_mismatched_sizes=True,
        )
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path} cannot be loaded as a sequence-classification checkpoint: {exc}") from exc
    return model, tokenizer


def prepare_model(
    config: TransformerTrainConfig, texts: Sequence[str]
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The model to fine-tune: the local checkpoint `config.base`, or a tiny BERT built on `texts`."""
    if config.base == TINY_BERT:
        tokenizer = build_wordpiece_tokenizer(texts, max_length=max(config.settings.max_length, 128))
        model = build_tiny_bert(
            tokenizer, max_positions=max(config.settings.max_length, 128), seed=config.seed
        )
        return model, tokenizer
    return load_base_checkpoint(Path(config.base), seed=config.seed)


@contextmanager
def _deterministic() -> Iterator[None]:
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous)


def _gold(examples: Sequence[Example]) -> tuple[torch.Tensor, torch.Tensor]:
    unknown = sorted({e.target for e in examples} - set(TARGETS))
    if unknown:
        raise ValueError(f"unknown targets in the training data: {', '.join(unknown)}")
    labels = torch.tensor([[label in e.labels for label in LABELS] for e in examples], dtype=torch.float32)
    targets = torch.tensor([TARGETS.index(e.target) for e in examples], dtype=torch.long)
    return labels, targets


def fine_tune(
    backend: TransformerBackend,
    examples: Sequence[Example],
    config: TransformerTrainConfig,
    progress: bool | None = None,
) -> list[float]:
    """Train the backend's model in place; returns the loss of every step. `progress=None`: a bar on a TTY."""
    if not examples:
        raise ValueError("no training examples")
    torch.manual_seed(config.seed)
    view = config.settings.text_view
    ids, _ = backend.encode([model_text(e.text, view) for e in examples])
    gold_labels, gold_targets = _gold(examples)
    model = backend.model
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias") and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=config.learning_rate,
    )
    per_epoch = -(-len(examples) // config.batch_size)
    total = per_epoch * config.epochs
    if config.max_steps is not None:
        total = min(total, config.max_steps)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * config.warmup_ratio), total)
    generator = torch.Generator().manual_seed(config.seed)
    bce, cross_entropy = torch.nn.BCEWithLogitsLoss(), torch.nn.CrossEntropyLoss()
    losses: list[float] = []
    model.train()
    disable = None if progress is None else not progress
    with _deterministic(), tqdm(total=total, desc="fine-tune", unit="step", disable=disable) as bar:
        while len(losses) < total:
            for batch in torch.randperm(len(examples), generator=generator).split(config.batch_size):
                rows = batch.tolist()
                logits = backend.logits([ids[i] for i in rows])
                labels = gold_labels[rows].to(backend.device)
                targets = gold_targets[rows].to(backend.device)
                loss = bce(logits[:, : len(LABELS)], labels) + cross_entropy(
                    logits[:, len(LABELS) :], targets
                )
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                losses.append(float(loss.detach()))
                bar.update(1)
                bar.set_postfix(loss=f"{losses[-1]:.3f}")
                if len(losses) >= total:
                    break
    model.eval()
    return losses


def tune_thresholds(backend: TransformerBackend, examples: Sequence[Example]) -> dict[str, float]:
    """Per label, the threshold on the model's probability with the best F1 on held-out examples."""
    output = backend.predict_texts([model_text(e.text, backend.settings.text_view) for e in examples])
    gold = np.array([[label in e.labels for label in LABELS] for e in examples], dtype=bool)
    thresholds: dict[str, float] = {}
    for i, label in enumerate(LABELS):
        best, best_f1 = 0.5, -1.0
        for threshold in THRESHOLD_GRID:
            predicted = output.label_proba[:, i] >= threshold
            tp = float(np.sum(predicted & gold[:, i]))
            f1 = 2 * tp / (float(predicted.sum()) + float(gold[:, i].sum()) or 1.0)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(threshold), f1
        thresholds[label] = best
    return thresholds


def train_transformer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    examples: Sequence[Example],
    config: TransformerTrainConfig,
    output: Path,
    dev_examples: Sequence[Example] = (),
    progress: bool | None = None,
) -> Path:
    """Fine-tune, tune thresholds on `dev_examples` (0.5 without), and write the model folder."""
    backend = TransformerBackend(model, tokenizer, config.settings)
    losses = fine_tune(backend, examples, config, progress)
    thresholds: dict[str, float] = {label: 0.5 for label in LABELS}
    if dev_examples:
        thresholds = tune_thresholds(backend, dev_examples)
    training = {**config.to_json(), "train_examples": len(examples), "dev_examples": len(dev_examples)}
    model_config = ModelConfig(
        name=config.name, version=config.version, thresholds=thresholds, extra={"training": training}
    )
    save_transformer_model(output, model_config, backend.model, tokenizer, config.settings)
    metrics = {"steps": len(losses), "final_loss": losses[-1], "thresholds_tuned_on_dev": bool(dev_examples)}
    (output / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return output
