"""The alternative to the shipped tagger: spaCy's own NER trained on the same data (a benchmark).

    .venv/bin/python bench/spacy_ner.py [--minutes 30] [--out /tmp/spacy_ner]

Trains a blank ``zh`` pipeline (character tokens, spaCy's default CNN tok2vec
and transition-based NER) on exactly the training sentences of
``cadregraph train ner`` for a time budget, then scores it on MSRA test with
the same scorer and prints its speed, for comparison with the shipped
BiLSTM-CRF.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import minibatch  # noqa: E402

from pipeline.config import NormalizeConfig  # noqa: E402
from pipeline.text.normalize import Normalizer  # noqa: E402
from pipeline.train.corpora import read_bio  # noqa: E402
from pipeline.train.ner import MSRA_TEST, SCORED_LABELS, NerTrainingConfig, training_sets  # noqa: E402
from pipeline.train.scores import format_scores, score_spans  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def to_doc(nlp, chars, tags) -> Doc:
    return Doc(nlp.vocab, words=list(chars), spaces=[False] * len(chars), ents=list(tags))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/spacy_ner"))
    args = parser.parse_args()
    spacy.util.fix_random_seed(1234)
    config = NerTrainingConfig()
    train = training_sets(DATA, config).train
    nlp = spacy.blank("zh")
    nlp.add_pipe("ner")
    examples = [Example(nlp.make_doc(s.text), to_doc(nlp, s.chars, s.tags)) for s in train]
    nlp.initialize(lambda: examples[:2000])
    rng = random.Random(config.seed)
    started, epoch, seen = time.perf_counter(), 0, 0
    while time.perf_counter() - started < args.minutes * 60:
        epoch += 1
        rng.shuffle(examples)
        for batch in minibatch(examples, size=64):
            nlp.update(batch, drop=0.2)
            seen += sum(len(e.reference) for e in batch)
            if time.perf_counter() - started >= args.minutes * 60:
                break
    minutes = (time.perf_counter() - started) / 60
    nlp.to_disk(args.out)
    normalize = Normalizer(NormalizeConfig())
    test = list(read_bio(DATA / MSRA_TEST))
    texts = [normalize(s.text) for s in test]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    speed = sum(map(len, texts)) / (time.perf_counter() - t0)
    predicted = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    from pipeline.ner.tagger.bio import bio_to_spans  # noqa: PLC0415

    scores = score_spans([bio_to_spans(s.tags) for s in test], predicted, SCORED_LABELS)
    print(f"spaCy NER: {minutes:.1f} min, {epoch} epoch(s) started, {seen:,} training characters seen")
    for line in format_scores(scores):
        print(line)
    print(f"F1 {scores['micro'].f1:.4f}  speed {speed:,.0f} chars/s")


if __name__ == "__main__":
    main()
