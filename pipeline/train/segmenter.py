"""Train the spacy-pkuseg word segmenter on People's Daily 1998 and score it on held-out days.

Days 1–25 of January 1998 train the model, days 26–31 test it. A person's
surname and given name (江/nr 泽民/nr) form one word, so that a name is one
token. The user dictionary written next to the model holds the title grammar's
posts (党工委书记, 副县长) and every official division name (青龙街道), which
pkuseg then never splits.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..config import NormalizeConfig
from ..text.normalize import Normalizer
from .corpora import Segmented, read_peoples_daily
from .cards import segmenter_card
from .scores import LabelScores

PEOPLES_DAILY = "peoples_daily_1998/199801.utf8.txt.xz"
USER_DICT = "user_dict.txt"


@dataclass
class SegmenterTrainingConfig:
    """Settings; the defaults rebuild the shipped model."""

    iterations: int = 10
    feature_trim: int = 2  # features seen this often or less are dropped (bounds the model's size)
    last_train_day: int = 25
    limit: int | None = None  # sentences per split, for smoke runs


@dataclass
class SegmenterReport:
    """What a training run measured, written to ``metrics.json``."""

    config: dict
    train_sentences: int
    test_sentences: int
    train_seconds: float
    user_dict_entries: int
    test: dict[str, dict[str, float]] = field(default_factory=dict)
    chars_per_second: float = 0.0


def words_of(sentence: Segmented, normalize) -> list[str]:
    """Normalized words with each run of ``nr`` words joined into one name."""
    words: list[str] = []
    previous = None
    for word, pos in zip(sentence.words, sentence.pos, strict=True):
        if pos == "nr" and previous == "nr":
            words[-1] += word
        else:
            words.append(word)
        previous = pos
    text = normalize("".join(words))
    out, at = [], 0
    for word in words:
        out.append(text[at : at + len(word)])
        at += len(word)
    return out


def title_words() -> list[str]:
    """Posts of the title grammar, with and without their organ (县委书记, 副镇长, 党工委书记)."""
    from .. import lexicon  # noqa: PLC0415

    words = lexicon.load_lexicon()
    posts = [*words.post_bases, "第一书记"]
    posts += [f"副{p}" for p in words.post_bases] + [f"常务副{p}" for p in words.post_bases]
    return sorted({*posts, *(organ + post for organ, post in itertools.product(words.organs, posts))})


def division_words() -> list[str]:
    """Every official division name of the gazetteer."""
    from ..gazetteer import load_gazetteer  # noqa: PLC0415

    return sorted(load_gazetteer().full)


def write_user_dict(path: Path, words: Iterable[str]) -> int:
    """One word per line (pkuseg's user dictionary format); returns the entry count."""
    entries = sorted({w for w in words if len(w) > 1})
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return len(entries)


def train_segmenter(data: Path, out: Path, config: SegmenterTrainingConfig) -> SegmenterReport:
    """Train into ``out`` (pkuseg model files plus ``user_dict.txt``) and score on the held-out days."""
    import spacy_pkuseg  # noqa: PLC0415 - heavy; only when training
    from spacy_pkuseg.config import config as pkuseg_config  # noqa: PLC0415

    normalize = Normalizer(NormalizeConfig())
    train: list[list[str]]
    test: list[list[str]]
    train, test = [], []
    for sentence in read_peoples_daily(data / PEOPLES_DAILY):
        split = train if sentence.day <= config.last_train_day else test
        if config.limit is None or len(split) < config.limit:
            split.append(words_of(sentence, normalize))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        train_file, test_file = Path(scratch) / "train.txt", Path(scratch) / "test.txt"
        train_file.write_text("\n".join(" ".join(s) for s in train) + "\n", encoding="utf-8")
        test_file.write_text("\n".join(" ".join(s) for s in test) + "\n", encoding="utf-8")
        cwd, trim = os.getcwd(), pkuseg_config.featureTrim
        os.chdir(scratch)  # pkuseg writes its scratch files relative to the working directory
        pkuseg_config.featureTrim = config.feature_trim  # pkuseg reads its settings from a module object
        try:
            spacy_pkuseg.train(str(train_file), str(test_file), str(out.resolve()), train_iter=config.iterations)
        finally:
            os.chdir(cwd)
            pkuseg_config.featureTrim = trim
    seconds = time.perf_counter() - started
    entries = write_user_dict(out / USER_DICT, [*title_words(), *division_words()])
    report = SegmenterReport(asdict(config), len(train), len(test), seconds, entries)
    for name, user_dict in (("model", None), ("model+user_dict", str(out / USER_DICT))):
        segmenter = spacy_pkuseg.pkuseg(str(out), user_dict=user_dict)
        scores, speed = evaluate_segmenter(segmenter, test)
        report.test[name] = scores.as_dict()
        report.chars_per_second = speed
    (out / "metrics.json").write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(segmenter_card(out, report), encoding="utf-8")
    return report


def evaluate_segmenter(segmenter, sentences: Sequence[Sequence[str]]) -> tuple[LabelScores, float]:
    """Word precision/recall/F1 (exact word boundaries) and speed in chars/s."""
    scores = LabelScores()
    chars = 0
    started = time.perf_counter()
    for words in sentences:
        text = "".join(words)
        chars += len(text)
        gold, predicted = _boundaries(words), _boundaries(segmenter.cut(text))
        scores.gold += len(gold)
        scores.predicted += len(predicted)
        scores.correct += len(gold & predicted)
    return scores, chars / max(time.perf_counter() - started, 1e-9)


def _boundaries(words: Iterable[str]) -> set[tuple[int, int]]:
    spans, at = set(), 0
    for word in words:
        spans.add((at, at + len(word)))
        at += len(word)
    return spans
