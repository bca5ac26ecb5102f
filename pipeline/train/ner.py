"""Train the NER tagger from MSRA, People's Daily 1998 and CLUENER2020, and score it.

Training data: MSRA train minus a seeded dev slice (used for model selection),
all of People's Daily January 1998 except sentences that overlap the MSRA test
text (its abbreviations labelled as MSRA train labels the same strings), and
CLUENER2020 train. MSRA test is read only to drop those overlaps and
for the final score.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..config import NormalizeConfig
from ..gazetteer import load_gazetteer
from ..ner.tagger.features import TYPES, FeatureLexicon
from ..ner.tagger.bio import bio_to_spans
from ..text.normalize import Normalizer
from .corpora import (
    ABBREVIATION,
    MSRA_LABELS,
    PEOPLES_DAILY_LABELS,
    CorpusError,
    Tagged,
    entity_labels,
    normalized,
    peoples_daily_entities,
    read_bio,
    read_cluener,
    read_peoples_daily,
    split_long,
)
from .cards import ner_card
from .scores import LabelScores, score_spans

MSRA_TRAIN = "msra/msra_train_bio.txt.xz"
MSRA_TEST = "msra/msra_test_bio.txt"
PEOPLES_DAILY = "peoples_daily_1998/199801.utf8.txt.xz"
CLUENER_TRAIN = "cluener2020/train.json"
SCORED_LABELS = ("PERSON", "PLACE", "ORG")
EVALUATION_LABELS = {**MSRA_LABELS, **{label: label for label in SCORED_LABELS}}
_SHINGLE = 15


@dataclass
class NerTrainingConfig:
    """Hyper-parameters; the defaults rebuild the shipped model."""

    seed: int = 1234
    epochs: int = 14
    patience: int = 3
    batch_size: int = 64
    lr: float = 0.002
    char_dim: int = 100
    bigram_dim: int = 50
    feature_dim: int = 32
    min_word_count: int = 2
    rnn_hidden: int = 128
    dropout: float = 0.5
    max_bigrams: int = 60_000
    bigram_min_count: int = 2
    max_length: int = 150
    dev_share: float = 0.05
    limit: int | None = None  # sentences per corpus, for smoke runs
    threads: int = 2


@dataclass
class NerReport:
    """What a training run measured, written to ``metrics.json``."""

    config: dict
    sentences: dict[str, int]
    characters: int
    train_seconds: float
    test: dict[str, dict[str, float]] = field(default_factory=dict)
    test_micro_f1: float = 0.0
    test_chars_per_second: float = 0.0


@dataclass
class TrainingSets:
    """Normalized sentences cut to ``max_length``, and the lexicon built from the training part."""

    train: list[Tagged]
    dev: list[Tagged]
    lexicon: FeatureLexicon
    counts: dict[str, int]


def training_sets(data: Path, config: NerTrainingConfig) -> TrainingSets:
    """Training and dev sentences (dev: a seeded slice of MSRA train), and the feature lexicon."""
    normalize = Normalizer(NormalizeConfig())
    rng = random.Random(config.seed)
    msra = _limited(read_bio(data / MSRA_TRAIN), config.limit)
    rng.shuffle(msra)
    n_dev = max(1, int(len(msra) * config.dev_share))
    dev, msra_train = msra[:n_dev], msra[n_dev:]
    test_shingles = _shingles(s.text for s in read_bio(data / MSRA_TEST))
    abbreviations = entity_labels(msra_train)
    words: Counter[str]
    daily, words = [], Counter()
    for sentence in _limited(read_peoples_daily(data / PEOPLES_DAILY), config.limit):
        tagged = peoples_daily_entities(sentence, abbreviations)
        if _overlaps(tagged.text, test_shingles):
            continue
        daily.append(tagged)
        words.update({normalize(w) for w, pos in zip(sentence.words, sentence.pos, strict=True)
                      if len(w) > 1 and pos not in PEOPLES_DAILY_LABELS
                      and not (pos == ABBREVIATION and w in abbreviations)})
    cluener = _limited(read_cluener(data / CLUENER_TRAIN), config.limit)
    counts = {"msra_train": len(msra_train), "msra_dev": len(dev), "peoples_daily": len(daily),
              "cluener": len(cluener)}
    train = [*msra_train, *daily, *cluener]
    rng.shuffle(train)

    def prepare(sentences: Iterable[Tagged]) -> list[Tagged]:
        return [piece for s in normalized(sentences, normalize) for piece in split_long(s, config.max_length)]

    train, dev = prepare(train), prepare(dev)
    entries = Counter(entry for s in train for entry in _entities(s))
    entries.update({(w, "WORD"): n for w, n in words.items() if n >= config.min_word_count})
    lexicon = FeatureLexicon.build(entries, always=((name, "PLACE") for name in load_gazetteer().full))
    return TrainingSets(train, dev, lexicon, counts)


def train_ner(data: Path, out: Path, config: NerTrainingConfig, logger: logging.Logger | None = None) -> NerReport:
    """Train the tagger into ``out`` and score it on MSRA test; returns the report also saved there."""
    import torch  # noqa: PLC0415 - heavy; only when training

    from ..ner.tagger.model import CharBigramTagger, load_tagger  # noqa: PLC0415

    torch.set_num_threads(config.threads)
    sets = training_sets(data, config)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tagger = CharBigramTagger()
    tagger.lexicon = sets.lexicon if config.feature_dim else None
    tagger.fit(
        _samples(sets.train, tagger.lexicon, leave_one_out=True), _samples(sets.dev, tagger.lexicon), str(out),
        batch_size=config.batch_size, epochs=config.epochs, patience=config.patience, lr=config.lr,
        embed=config.char_dim, rnn_input=None, rnn_hidden=config.rnn_hidden, drop=config.dropout, crf=True,
        char_dim=config.char_dim, bigram_dim=config.bigram_dim, feature_dim=config.feature_dim,
        max_bigrams=config.max_bigrams,
        bigram_min_count=config.bigram_min_count, tagging_scheme="BIO", seed=config.seed, devices=-1,
        logger=logger,
    )
    report = NerReport(asdict(config), sets.counts, sum(len(s.chars) for s in sets.train),
                       time.perf_counter() - started)
    scores, speed = evaluate_tagger(load_tagger(out), list(read_bio(data / MSRA_TEST)))
    report.test = {label: s.as_dict() for label, s in scores.items()}
    report.test_micro_f1 = scores["micro"].f1
    report.test_chars_per_second = speed
    (out / "metrics.json").write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(ner_card(out, report), encoding="utf-8")
    return report


def evaluate_tagger(tagger, sentences: Sequence[Tagged]) -> tuple[dict[str, LabelScores], float]:
    """Per-label and micro scores over PERSON/PLACE/ORG, and tagging speed in chars/s."""
    normalize = Normalizer(NormalizeConfig())
    texts = [normalize(s.text) for s in sentences]
    started = time.perf_counter()
    predicted = tagger.tag(texts)
    seconds = time.perf_counter() - started
    gold = [bio_to_spans(s.tags) for s in sentences]
    scores = score_spans(gold, predicted, SCORED_LABELS)
    return scores, sum(map(len, texts)) / max(seconds, 1e-9)


def evaluate_file(path: Path, model: Path) -> dict[str, LabelScores]:
    """Scores of the tagger in ``model`` on a BIO file (PER/LOC/ORG or PERSON/PLACE/ORG tags)."""
    from ..ner.tagger.model import load_tagger  # noqa: PLC0415

    if not (model / "config.json").exists():
        raise CorpusError(f"{model}: no trained tagger here (train one with 'cadregraph train ner')")
    sentences = list(read_bio(path, EVALUATION_LABELS))
    if not sentences:
        raise CorpusError(f"{path}: no sentences")
    scores, _ = evaluate_tagger(load_tagger(model), sentences)
    return scores


def _samples(sentences: Iterable[Tagged], lexicon: FeatureLexicon | None, leave_one_out: bool = False) -> list[dict]:
    """HanLP samples; with a lexicon, each carries its feature bits (training ones leave themselves out)."""
    samples = []
    for s in sentences:
        sample: dict[str, list] = {"token": list(s.chars), "tag": list(s.tags)}
        if lexicon is not None:
            own = _entities(s) if leave_one_out else ()
            sample["feature_id"] = lexicon.features(s.text, s.source, own)
        samples.append(sample)
    return samples


def _entities(sentence: Tagged) -> set[tuple[str, str]]:
    """The distinct (text, label) entities of a sentence, TITLE excluded."""
    text = sentence.text
    return {(text[a:b], label) for a, b, label in bio_to_spans(sentence.tags) if label in TYPES}


def _limited(items: Iterator, limit: int | None) -> list:
    return list(itertools.islice(items, limit))


def _shingles(texts: Iterable[str]) -> set[str]:
    return {t[i : i + _SHINGLE] for t in texts for i in range(max(1, len(t) - _SHINGLE + 1))}


def _overlaps(text: str, shingles: set[str]) -> bool:
    """True when half or more of the sentence's sampled 15-grams occur in the protected text."""
    grams = [text[i : i + _SHINGLE] for i in range(0, max(1, len(text) - _SHINGLE + 1), 5)]
    return bool(grams) and sum(g in shingles for g in grams) * 2 >= len(grams)
