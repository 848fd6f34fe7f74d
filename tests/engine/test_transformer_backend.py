"""The transformer backend end to end, offline: a tiny BERT and a WordPiece tokenizer built here,
fine-tuned for a few steps, saved, reloaded with the network blocked, and used by the engine."""

from __future__ import annotations

import functools
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import torch
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

from training.corpus import Example
from training.transformer import (
    TransformerTrainConfig,
    build_tiny_bert,
    build_wordpiece_tokenizer,
    fine_tune,
    load_base_checkpoint,
    prepare_model,
    train_transformer,
)
from triage.engine.analysis import Analysis
from triage.engine.labels import LABELS, TARGETS
from triage.engine.model_io import ModelConfig
from triage.engine.normalize import normalize
from triage.engine.transformer_backend import (
    TRANSFORMER_BACKEND,
    TransformerBackend,
    TransformerSettings,
    load_transformer_backend,
    truncation_note,
)
from triage.errors import ModelError

pytestmark = pytest.mark.slow

# (text, labels, target): a small hand-written Dutch set, not the corpus.
SENTENCES: list[tuple[str, tuple[str, ...], str]] = [
    ("Ik maak je af, vuile verrader.", ("threat", "insult"), "person"),
    ("Burgemeester, we weten waar je woont. Pas maar op.", ("threat", "doxxing"), "office"),
    ("Ik steek je kapot als ik je op straat zie.", ("threat",), "person"),
    ("Die wethouder moet gewoon worden opgehangen.", ("incitement",), "office"),
    ("Iemand moet die minister eens een lesje leren met een knuppel.", ("incitement",), "office"),
    ("Hij woont op de Dorpsstraat 12, 1234 AB. Ga maar langs.", ("doxxing", "incitement"), "person"),
    ("Zijn nummer is 06-12345678, bel hem allemaal wakker.", ("doxxing",), "person"),
    ("Kankerhoer, je verdient het om verkracht te worden.", ("sexual", "insult", "profanity"), "person"),
    ("Ik wil je naakt zien, stuur foto's of ik kom ze halen.", ("sexual", "threat"), "person"),
    ("Al die moslims moeten het land uit, het zijn ratten.", ("identity_hate",), "group"),
    ("Joden regeren de wereld, vergas ze allemaal.", ("identity_hate", "incitement"), "group"),
    ("Vrouwen horen niet in de politiek, terug naar het aanrecht.", ("identity_hate",), "group"),
    ("Je bent een domme kut en een waardeloze wethouder.", ("insult", "profanity"), "office"),
    ("Wat een sukkel ben jij, echt een idioot.", ("insult",), "person"),
    ("Tering, wat een kutbeleid weer.", ("profanity",), "none"),
    ("Godverdomme, alweer de belasting omhoog.", ("profanity",), "none"),
    ("Jij vieze tyfuslijer, rot op uit onze gemeente.", ("insult", "profanity"), "person"),
    ("Ik hoop dat je een ongeluk krijgt en creperen gaat.", ("threat",), "person"),
    ("Homo's zijn ziek en moeten genezen worden.", ("identity_hate",), "group"),
    ("Marokkanen zijn allemaal criminelen, tuig is het.", ("identity_hate", "insult"), "group"),
    ("Raadslid, je kinderen zitten op de school aan de Kerklaan.", ("doxxing", "threat"), "office"),
    ("Ik schiet je neer, vuile landverrader.", ("threat", "insult"), "person"),
    ("Lelijke slet, niemand wil jou.", ("insult", "sexual"), "person"),
    ("Kamerlid is een corrupte klootzak.", ("insult", "profanity"), "office"),
    ("Mongool, leer eerst eens lezen.", ("insult",), "person"),
    ("Dank u wel voor het snelle antwoord op mijn vraag.", (), "none"),
    ("Wanneer wordt de vuilnis weer opgehaald in onze straat?", (), "none"),
    ("Ik ben het totaal oneens met dit besluit van de gemeenteraad.", (), "office"),
    ("De burgemeester moet aftreden, dit beleid is een ramp.", (), "office"),
    ("Goed gedaan wethouder, eindelijk een nieuw fietspad.", (), "office"),
    ("Het is belachelijk dat de parkeerkosten weer stijgen.", (), "none"),
    ("Wie zegt dat vrouwen dom zijn, discrimineert gewoon.", (), "none"),
    ("In het nieuws: minister ontvangt dreigbrief, politie onderzoekt het.", (), "office"),
    ("Die motie gaat de oppositie echt afmaken in het debat.", (), "none"),
    ("Ajax schoot drie keer op doel in de eerste helft.", (), "none"),
    ("De aanslag van de belastingdienst kwam gisteren binnen.", (), "none"),
    ("Mijn buurvrouw is moslim en ze helpt iedereen in de straat.", (), "none"),
    ("Ik ga je heus niet slaan, rustig maar.", (), "person"),
    ("Kunt u mij vertellen waar ik mijn paspoort kan verlengen?", (), "none"),
    ("Het raadslid gaf een heldere uitleg over de begroting.", (), "office"),
    ("Wat een mooi initiatief voor de jongeren in de wijk.", (), "none"),
    ("Ik heb bezwaar gemaakt tegen de bouwvergunning.", (), "none"),
    ("Zullen we de vergadering verzetten naar donderdag?", (), "none"),
    ("De gedeputeerde heeft de subsidie helaas afgewezen.", (), "office"),
    ("Transgender mensen verdienen hetzelfde respect als iedereen.", (), "group"),
    ("Die joodse begraafplaats wordt gerestaureerd, mooi nieuws.", (), "none"),
    ("Dit plan kost te veel geld en levert niks op.", (), "none"),
    ("Kamerleden, luister nou eens naar de boeren.", (), "office"),
    ("Fijne feestdagen aan het hele college!", (), "office"),
    ("Ik zou maar oppassen als ik jou was, griffier.", ("threat",), "office"),
]
LONG_TEXT = " ".join(["Dit is een heel lange klacht over het beleid van de gemeente."] * 40)
SHORT_TEXTS = ["Ik maak je af.", "Dank u wel voor uw hulp.", "", LONG_TEXT, "kut 🔪🔪"]
SETTINGS = TransformerSettings(max_length=32, batch_size=4)
Trained = tuple[Path, TransformerBackend]


def examples() -> list[Example]:
    return [
        Example(id=f"t{i}", text=text, labels=labels, severity="none", target=target)
        for i, (text, labels, target) in enumerate(SENTENCES)
    ]


def train_config(max_steps: int = 24) -> TransformerTrainConfig:
    return TransformerTrainConfig(
        name="tiny-test", epochs=3, batch_size=8, learning_rate=2e-3, max_steps=max_steps, settings=SETTINGS
    )


def hand_built(texts: list[str]) -> list[Analysis]:
    return [Analysis(original=text, normalized=normalize(text)) for text in texts]


@functools.cache
def shared_tokenizer() -> PreTrainedTokenizerFast:
    return build_wordpiece_tokenizer([text for text, _, _ in SENTENCES], vocab_size=600)


def tiny_model(seed: int = 13) -> tuple[BertForSequenceClassification, PreTrainedTokenizerFast]:
    tokenizer = shared_tokenizer()
    return build_tiny_bert(
        tokenizer, hidden_size=32, layers=2, heads=2, intermediate_size=64, seed=seed
    ), tokenizer


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    # Tiny models gain nothing from threads, and two pytest workers on two cores would contend.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TransformerBackend]:
    model, tokenizer = tiny_model()
    folder = tmp_path_factory.mktemp("transformer") / "model"
    train_transformer(model, tokenizer, examples(), train_config(), folder, dev_examples=examples()[::3])
    return folder, TransformerBackend(model, tokenizer, SETTINGS, device="cpu")


@pytest.fixture()
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the transformer backend tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_folder_holds_config_safetensors_and_tokenizer(
    trained: Trained,
) -> None:
    folder, _ = trained
    config = ModelConfig.read(folder)
    assert config.backend == TRANSFORMER_BACKEND
    assert config.extra["transformer"]["max_length"] == 32
    assert set(config.thresholds) == set(LABELS)
    assert (folder / "hf" / "model.safetensors").is_file()
    assert (folder / "hf" / "tokenizer.json").is_file()
    assert not list(folder.rglob("*.bin")) and not list(folder.rglob("*.pt"))


def test_predictions_have_the_backend_shapes_and_are_probabilities(
    trained: Trained,
) -> None:
    _, backend = trained
    label_proba, target_proba = backend.predict_proba(hand_built(SHORT_TEXTS))
    assert label_proba.shape == (len(SHORT_TEXTS), len(LABELS))
    assert target_proba.shape == (len(SHORT_TEXTS), len(TARGETS))
    assert np.all((label_proba >= 0) & (label_proba <= 1))
    assert np.all((target_proba >= 0) & (target_proba <= 1))
    np.testing.assert_allclose(target_proba.sum(axis=1), 1.0, atol=1e-5)
    empty_label, empty_target = backend.predict_proba([])
    assert empty_label.shape == (0, len(LABELS)) and empty_target.shape == (0, len(TARGETS))


def test_truncation_is_marked_per_message(trained: Trained) -> None:
    _, backend = trained
    analyses = hand_built(SHORT_TEXTS)
    output = backend.predict(analyses)
    assert output.truncated == [text == LONG_TEXT for text in SHORT_TEXTS]
    assert all(not analysis.notes for analysis in analyses)
    backend.set_annotations(analyses, output)
    note = truncation_note(backend.max_length)
    assert "32 tokens" in note
    assert [note in analysis.notes for analysis in analyses] == output.truncated


def test_batching_and_order_do_not_change_the_answers(trained: Trained) -> None:
    _, backend = trained
    together = backend.predict(hand_built(SHORT_TEXTS)).label_proba
    alone = np.vstack([backend.predict(hand_built([text])).label_proba for text in SHORT_TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_analyses_without_normalisation_are_read_the_same(
    trained: Trained,
) -> None:
    _, backend = trained
    bare = [Analysis(original=text) for text in SHORT_TEXTS]
    np.testing.assert_array_equal(
        backend.predict_proba(bare)[0], backend.predict_proba(hand_built(SHORT_TEXTS))[0]
    )


def test_reload_offline_gives_identical_outputs(trained: Trained, offline: None) -> None:
    folder, backend = trained
    reloaded = load_transformer_backend(folder, device="cpu")
    analyses = hand_built([text for text, _, _ in SENTENCES] + SHORT_TEXTS)
    before, after = backend.predict(analyses), reloaded.predict(analyses)
    np.testing.assert_array_equal(after.label_proba, before.label_proba)
    np.testing.assert_array_equal(after.target_proba, before.target_proba)
    assert after.truncated == before.truncated


def test_training_is_deterministic_and_learns() -> None:
    runs = []
    for _ in range(2):
        model, tokenizer = tiny_model(seed=7)
        backend = TransformerBackend(model, tokenizer, SETTINGS, device="cpu")
        runs.append(fine_tune(backend, examples(), train_config(max_steps=30), progress=False))
    assert runs[0] == runs[1]
    assert np.mean(runs[0][-5:]) < np.mean(runs[0][:5])


def test_the_loader_refuses_unsafe_or_foreign_folders(trained: Trained, tmp_path: Path) -> None:
    folder, _ = trained
    pickled = tmp_path / "pickled"
    (pickled / "hf").mkdir(parents=True)
    (pickled / "config.json").write_bytes((folder / "config.json").read_bytes())
    (pickled / "hf" / "config.json").write_bytes((folder / "hf" / "config.json").read_bytes())
    (pickled / "hf" / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelError, match="safetensors"):
        load_transformer_backend(pickled)
    config = ModelConfig.read(folder)
    config.backend = "sklearn-linear"
    with pytest.raises(ModelError, match="not 'transformer'"):
        load_transformer_backend(folder, config)


def test_the_engine_combines_it_with_the_rules(trained: Trained) -> None:
    from triage.engine import Engine
    from triage.engine.analyzer import Analyzer

    folder, backend = trained
    engine = Engine(ModelConfig.read(folder), backend, Analyzer.build())  # type: ignore[arg-type]
    verdicts = engine.classify_many(["Ik steek je kapot, burgemeester 🔪", "Dank u wel voor uw hulp.", ""])
    assert [set(v.labels) for v in verdicts] == [set(LABELS)] * 3
    assert verdicts[2].severity == "none"
    assert verdicts[0].severity_score >= verdicts[1].severity_score


def test_a_local_checkpoint_gets_the_triage_head(tmp_path: Path, offline: None) -> None:
    base = tmp_path / "some-dutch-bert"
    checkpoint = BertForSequenceClassification(
        BertConfig(
            vocab_size=len(shared_tokenizer()),
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
            num_labels=2,
        )
    )
    checkpoint.save_pretrained(base, safe_serialization=True)
    shared_tokenizer().save_pretrained(base)
    config = TransformerTrainConfig.from_sections(
        {"name": "robbert-triage"}, {"base": "some-dutch-bert", "max_length": 48, "epochs": 1}, 5, tmp_path
    )
    assert config.base == str(base) and config.settings.max_length == 48 and config.seed == 5
    model, tokenizer = prepare_model(config, [])
    backend = TransformerBackend(model, tokenizer, config.settings, device="cpu")
    label_proba, target_proba = backend.predict_proba(hand_built(["Ik maak je af."]))
    assert label_proba.shape == (1, len(LABELS)) and target_proba.shape == (1, len(TARGETS))
    with pytest.raises(ModelError, match="not a local checkpoint"):
        load_base_checkpoint(tmp_path / "missing")
