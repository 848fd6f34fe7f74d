"""The transformer backend: a Hugging Face sequence-classification model as the engine's classifier.

One classification head with 11 outputs: the first seven are the labels (independent sigmoids,
LABELS order), the last four the target (one softmax, TARGETS order). The output names are
stored in the checkpoint's `id2label` ("label:threat", ..., "target:none") and checked on load.

A model folder holds `config.json` (backend "transformer", settings under "transformer") and the
Hugging Face model and tokenizer in the subfolder `hf/`, weights as safetensors only. Nothing is
downloaded: every load is `local_files_only=True`, and a folder without safetensors weights is
refused. torch and transformers are an optional extra, imported only by this module.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import torch
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from triage.engine.analysis import Analysis
from triage.engine.features import char_view
from triage.engine.labels import LABELS, TARGETS
from triage.engine.model_io import TRANSFORMER_BACKEND, ModelConfig
from triage.engine.normalize import normalize
from triage.errors import ModelError

HF_SUBDIR: Final = "hf"
SAFETENSORS_FILES: Final = ("model.safetensors", "model.safetensors.index.json")
OUTPUT_NAMES: Final[tuple[str, ...]] = (
    *(f"label:{label}" for label in LABELS),
    *(f"target:{target}" for target in TARGETS),
)
TextView = Literal["normalized", "original"]


@dataclass(frozen=True, slots=True)
class TransformerSettings:
    """How the model reads a message; stored in config.json under "transformer"."""

    max_length: int = 128
    batch_size: int = 32
    text_view: TextView = "normalized"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "subdir": HF_SUBDIR, "outputs": list(OUTPUT_NAMES)}

    @classmethod
    def from_json(cls, data: object, source: str) -> TransformerSettings:
        if not isinstance(data, dict):
            raise ModelError(f"{source}: a transformer model needs a 'transformer' section in its config")
        view = data.get("text_view", "normalized")
        if view not in ("normalized", "original"):
            raise ModelError(f"{source}: text_view {view!r} is not 'normalized' or 'original'")
        if data.get("outputs", list(OUTPUT_NAMES)) != list(OUTPUT_NAMES):
            raise ModelError(f"{source}: the model's outputs do not match this version of triage")
        try:
            max_length, batch_size = int(data.get("max_length", 128)), int(data.get("batch_size", 32))
        except (TypeError, ValueError) as exc:
            raise ModelError(f"{source}: max_length and batch_size must be integers") from exc
        if max_length < 8 or batch_size < 1:
            raise ModelError(f"{source}: max_length must be at least 8 and batch_size at least 1")
        return cls(max_length=max_length, batch_size=batch_size, text_view=view)


@dataclass(frozen=True, slots=True)
class TransformerOutput:
    label_proba: np.ndarray  # (n, 7)
    target_proba: np.ndarray  # (n, 4)
    truncated: list[bool]  # per message: the model saw only its first max_length tokens


def model_text(text: str, view: TextView = "normalized") -> str:
    """What the model reads of a raw text; training uses this, the backend `analysis_text`."""
    if view == "original":
        return text
    return char_view(Analysis(original=text, normalized=normalize(text)))


def analysis_text(analysis: Analysis, view: TextView) -> str:
    if view == "original":
        return analysis.original
    if analysis.normalized is None:
        return model_text(analysis.original, view)
    return char_view(analysis)


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def truncation_note(max_length: int) -> str:
    return f"the transformer model read only the first {max_length} tokens (the rules read all)"


class TransformerBackend:
    """Implements the engine's `Backend` protocol with a sequence-classification model."""

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        settings: TransformerSettings | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        if not tokenizer.is_fast:
            raise ModelError("the transformer backend needs a fast tokenizer (a tokenizer.json)")
        if model.config.num_labels != len(OUTPUT_NAMES):
            raise ModelError(
                f"the model has {model.config.num_labels} outputs; the backend needs {len(OUTPUT_NAMES)}"
            )
        if tokenizer.pad_token_id is None:
            raise ModelError("the tokenizer has no padding token")
        self.settings = settings or TransformerSettings()
        self.device = torch.device(device) if device is not None else default_device()
        torch.nn.Module.to(model, self.device)  # in place; PreTrainedModel.to's stub confuses mypy
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.pad_id = int(tokenizer.pad_token_id)
        self.max_length = min(self.settings.max_length, _position_limit(model))

    def predict_proba(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        """The Backend contract: probabilities, with truncations noted on the analyses."""
        output = self.predict(analyses)
        self.set_annotations(analyses, output)
        return output.label_proba, output.target_proba

    def predict(self, analyses: Sequence[Analysis]) -> TransformerOutput:
        """Side-effect free; `set_annotations` then notes the truncations on the analyses."""
        return self.predict_texts([analysis_text(a, self.settings.text_view) for a in analyses])

    def set_annotations(self, analyses: Sequence[Analysis], output: TransformerOutput) -> None:
        note = truncation_note(self.max_length)
        for analysis, truncated in zip(analyses, output.truncated, strict=True):
            if truncated and note not in analysis.notes:
                analysis.notes.append(note)

    def predict_texts(self, texts: Sequence[str]) -> TransformerOutput:
        """Probabilities for texts already in the model's view (see `model_text`)."""
        count = len(texts)
        label_proba = np.zeros((count, len(LABELS)), dtype=np.float32)
        target_proba = np.zeros((count, len(TARGETS)), dtype=np.float32)
        if count == 0:
            return TransformerOutput(label_proba, target_proba, [])
        ids, truncated = self.encode(texts)
        order = sorted(range(count), key=lambda i: len(ids[i]))  # similar lengths share a batch
        size = self.settings.batch_size
        with torch.inference_mode():
            for offset in range(0, count, size):
                rows = order[offset : offset + size]
                logits = self.logits([ids[i] for i in rows])
                label_proba[rows] = torch.sigmoid(logits[:, : len(LABELS)]).float().cpu().numpy()
                target_proba[rows] = torch.softmax(logits[:, len(LABELS) :], dim=1).float().cpu().numpy()
        return TransformerOutput(label_proba, target_proba, truncated)

    def encode(self, texts: Sequence[str]) -> tuple[list[list[int]], list[bool]]:
        """Token ids per text (special tokens included, at most max_length) and whether it was cut."""
        encoded = self.tokenizer(
            list(texts),
            truncation=True,
            max_length=self.max_length,
            return_overflowing_tokens=True,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        ids: list[list[int] | None] = [None] * len(texts)
        truncated = [False] * len(texts)
        for row, sample in enumerate(encoded["overflow_to_sample_mapping"]):
            if ids[sample] is None:
                ids[sample] = list(encoded["input_ids"][row])
            else:
                truncated[sample] = True
        return [row or [] for row in ids], truncated

    def logits(self, batch: Sequence[list[int]]) -> torch.Tensor:
        width = max(len(row) for row in batch)
        input_ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(batch), width), dtype=torch.long)
        for i, row in enumerate(batch):
            input_ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
            attention[i, : len(row)] = 1
        output = self.model(input_ids=input_ids.to(self.device), attention_mask=attention.to(self.device))
        logits: torch.Tensor = output.logits
        return logits

    def word_evidence(self, analysis: Analysis, label_index: int, top: int = 3) -> list[tuple[str, float]]:
        """No lemma weights to show: spans for a transformer's flags come from the rules only."""
        return []


def _position_limit(model: PreTrainedModel) -> int:
    limit = getattr(model.config, "max_position_embeddings", None)
    if not isinstance(limit, int) or limit <= 0:
        return 10**6
    # RoBERTa-style models reserve positions for the padding offset.
    offset = 2 if getattr(model.config, "model_type", "") in {"roberta", "xlm-roberta", "camembert"} else 0
    return limit - offset


def label_maps() -> tuple[dict[int, str], dict[str, int]]:
    id2label = dict(enumerate(OUTPUT_NAMES))
    return id2label, {name: i for i, name in id2label.items()}


def save_transformer_model(
    folder: Path,
    config: ModelConfig,
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    settings: TransformerSettings,
) -> None:
    """Write config.json (backend "transformer") and hf/ (safetensors weights and the tokenizer)."""
    extra = {**config.extra, "transformer": settings.to_json()}
    config = replace(config, backend=TRANSFORMER_BACKEND, extra=extra)
    hf_dir = folder / HF_SUBDIR
    hf_dir.mkdir(parents=True, exist_ok=True)
    id2label, label2id = label_maps()
    model.config.id2label, model.config.label2id = id2label, label2id
    model.save_pretrained(hf_dir, safe_serialization=True)
    tokenizer.save_pretrained(hf_dir)
    config.write(folder)


def load_transformer_backend(
    folder: Path, config: ModelConfig | None = None, device: torch.device | str | None = None
) -> TransformerBackend:
    """The backend of a transformer model folder; refuses what it cannot load safely and says why."""
    config = config or ModelConfig.read(folder)
    if config.backend != TRANSFORMER_BACKEND:
        raise ModelError(f"{folder}: backend {config.backend!r} is not {TRANSFORMER_BACKEND!r}")
    settings = TransformerSettings.from_json(config.extra.get("transformer"), str(folder / "config.json"))
    hf_dir = folder / HF_SUBDIR
    if not (hf_dir / "config.json").is_file():
        raise ModelError(f"{folder} has a config but no Hugging Face model in {HF_SUBDIR}/")
    if not any((hf_dir / name).is_file() for name in SAFETENSORS_FILES):
        raise ModelError(f"{hf_dir} has no safetensors weights (pickled weights are not loaded)")
    try:
        hf_config = json.loads((hf_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{hf_dir / 'config.json'} cannot be read: {exc}") from exc
    names = hf_config.get("id2label", {}) if isinstance(hf_config, dict) else {}
    if [names.get(str(i)) for i in range(len(names))] != list(OUTPUT_NAMES):
        raise ModelError(f"{hf_dir}: the model's outputs are not {', '.join(OUTPUT_NAMES)}")
    try:
        tokenizer = AutoTokenizer.from_pretrained(hf_dir, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            hf_dir, local_files_only=True, use_safetensors=True, trust_remote_code=False
        )
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{hf_dir} cannot be loaded: {exc}") from exc
    return TransformerBackend(model, tokenizer, settings, device)
