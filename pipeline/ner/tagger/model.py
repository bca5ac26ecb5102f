"""The statistical NER tagger: HanLP's BiLSTM-CRF over characters, bigrams and lexicon features.

:class:`CharBigramTagger` is a HanLP ``RNNNamedEntityRecognizer`` whose input
is each character's embedding concatenated with the embedding of the bigram it
starts (the strongest cheap feature for Chinese NER without pretrained
vectors) and with the projected lexicon bits of :mod:`.features`. It lives in
this importable module because HanLP records the class path in the saved
``config.json``.

Two HanLP quirks are handled here: its CRF layer receives the constraint
argument in the ``batch_first`` slot, so ``batch_first`` is set again on every
build (training and loading); and :meth:`CharBigramTagger.tag` runs the
network directly on padded tensors instead of HanLP's per-sample transform
pipeline, which is several times slower on long documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy
import torch
from hanlp.common.vocab import Vocab
from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer
from hanlp.components.taggers.rnn.rnntaggingmodel import RNNTaggingModel
from hanlp.datasets.ner.loaders.tsv import TSVTaggingDataset
from torch import nn

from .bio import bio_to_spans
from .features import N_BITS, FeatureLexicon
from ..names import NameShapes

END = "</s>"


def bigrams(chars: Sequence[str]) -> list[str]:
    """The bigram starting at each character (the last one pairs with an end marker)."""
    return [a + b for a, b in zip(chars, [*chars[1:], END], strict=True)]


def add_bigrams(sample: dict) -> dict:
    """HanLP sample transform: the ``bigram`` field next to ``token``."""
    sample["bigram"] = bigrams(sample["token"])
    return sample


class CharBigramEmbedding(nn.Module):
    """Character and bigram embeddings (randomly initialised) and projected lexicon feature bits."""

    def __init__(self, n_chars: int, n_bigrams: int, char_dim: int, bigram_dim: int, feature_dim: int) -> None:
        super().__init__()
        self.chars = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.bigrams = nn.Embedding(n_bigrams, bigram_dim, padding_idx=0)
        self.features = nn.Linear(N_BITS, feature_dim) if feature_dim else None
        self.register_buffer("shifts", torch.arange(N_BITS), persistent=False)
        self.embedding_dim = char_dim + bigram_dim + feature_dim

    def forward(self, batch: dict, mask: torch.Tensor | None = None) -> torch.Tensor:
        parts = [self.chars(batch["token_id"]), self.bigrams(batch["bigram_id"])]
        if self.features is not None:
            flags = (batch["feature_id"].unsqueeze(-1) >> self.shifts) & 1
            parts.append(self.features(flags.float()))
        return torch.cat(parts, dim=-1)


class CharBigramTagger(RNNNamedEntityRecognizer):
    """BiLSTM-CRF NER tagger over characters, bigrams and lexicon features (BIO tags).

    Training samples carry a precomputed ``feature_id`` list (see
    :mod:`.features`); set :attr:`lexicon` before ``fit`` so it is saved with
    the model.
    """

    lexicon: FeatureLexicon | None = None
    names: NameShapes | None = None  # learnt from the lexicon's persons; cuts rosters

    def build_dataset(self, data, transform):
        transforms = transform if isinstance(transform, list) else [transform]
        return TSVTaggingDataset(data, [add_bigrams, *transforms])

    def build_vocabs(self, dataset, logger):
        """Character, bigram and tag vocabularies from the training samples.

        Bigrams seen fewer than ``bigram_min_count`` times, and beyond the
        ``max_bigrams`` most frequent, map to the unknown entry: this bounds
        the model's size and gives the unknown vector real training signal.
        """
        chars: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        for sample in dataset.data:
            chars.update(sample["token"])
            pairs.update(bigrams(sample["token"]))
            tags.update(sample["tag"])
        min_count = self.config.get("bigram_min_count", 2)
        kept = [b for b, n in pairs.most_common(self.config.get("max_bigrams", 60_000)) if n >= min_count]
        self.vocabs["token"] = _locked_vocab(sorted(chars))
        self.vocabs["bigram"] = _locked_vocab(kept)
        self.vocabs.tag = _locked_vocab(sorted(tags), specials=False)
        self.vocabs.lock()
        self.vocabs.summary(logger)

    def build_model(self, rnn_input, rnn_hidden, drop, crf, **kwargs) -> nn.Module:
        embed = CharBigramEmbedding(
            len(self.vocabs["token"]),
            len(self.vocabs["bigram"]),
            self.config.get("char_dim", 100),
            self.config.get("bigram_dim", 50),
            self.config.get("feature_dim", 0),
        )
        model = RNNTaggingModel(embed, rnn_input, rnn_hidden, len(self.vocabs["tag"]), drop, crf)
        if model.crf is not None:
            model.crf.batch_first = True  # HanLP passes its constraints in this slot
        return model

    def fit_dataloader(self, trn, criterion, optimizer, metric, logger, ratio_width=None, **kwargs):
        """One epoch; unlike HanLP's loop it skips Viterbi decoding of every training batch."""
        self.model.train()
        total, batches = 0.0, 0
        for batch in trn:
            optimizer.zero_grad()
            out, mask = self.feed_batch(batch)
            loss = self.compute_loss(criterion, out, batch["tag_id"], mask)
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 5.0)
            optimizer.step()
            total += loss.item()
            batches += 1
        if logger:
            logger.info(f"train loss {total / max(batches, 1):.4f} over {batches} batches")

    def save_vocabs(self, save_dir, filename="vocabs.json"):
        super().save_vocabs(save_dir, filename)
        if self.lexicon is not None:
            self.lexicon.save(Path(save_dir))

    def load_vocabs(self, save_dir, filename="vocabs.json"):
        super().load_vocabs(save_dir, filename)
        if self.config.get("feature_dim", 0):
            self.lexicon = FeatureLexicon.load(Path(save_dir))
            self.names = NameShapes.from_names(self.lexicon.entries("PERSON"))

    @torch.inference_mode()
    def tag(self, texts: Sequence[str], batch_size: int = 64, convention: str = "msra"
            ) -> list[list[tuple[int, int, str]]]:
        """Entities ``(start, end, label)`` of each text, by character offsets.

        ``convention`` is the training corpus whose annotation conventions the
        output should follow (see :data:`.features.SOURCES`).
        """
        self.model.eval()
        results: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        # packing needs the longest first
        order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]), reverse=True)
        idx_to_tag = self.vocabs["tag"].idx_to_token
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            batch = self._tensors([texts[i] for i in chunk], convention)
            logits, mask = self.model(batch["token_id"], batch=batch)
            for i, ids in zip(chunk, viterbi(self.model.crf, logits, mask), strict=True):
                results[i] = split_name_lists(texts[i], bio_to_spans(idx_to_tag[t] for t in ids), self.names)
        return results

    def _tensors(self, texts: Sequence[str], convention: str) -> dict[str, torch.Tensor]:
        width = max(len(t) for t in texts)
        chars, pairs = self.vocabs["token"], self.vocabs["bigram"]
        char_ids, pair_ids = _ids(chars), _ids(pairs)
        char_unk, pair_unk = char_ids[chars.unk_token], pair_ids[pairs.unk_token]
        rows: dict[str, list[list[int]]] = {"token_id": [], "bigram_id": [], "feature_id": []}
        for text in texts:
            pad = [0] * (width - len(text))
            rows["token_id"].append([char_ids.get(c, char_unk) for c in text] + pad)
            rows["bigram_id"].append([pair_ids.get(b, pair_unk) for b in bigrams(text)] + pad)
            features = self.lexicon.features(text, convention) if self.lexicon is not None else []
            rows["feature_id"].append(features + [0] * (width - len(features)))
        return {key: torch.tensor(values, dtype=torch.long) for key, values in rows.items()}


def _ids(vocab: Vocab) -> dict[str, int]:
    """A locked vocabulary's index (what ``Vocab.get_idx`` reads, without a call per token)."""
    if vocab.mutable:
        raise ValueError("the tagger's vocabularies must be locked")
    return vocab.token_to_idx


def viterbi(crf: Any, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
    """The best tag sequence of each row, as HanLP's ``CRF.decode`` (batch first) finds it.

    The forward pass is HanLP's, step for step; the trace back follows the
    back-pointers of every row at once.
    """
    emissions, mask = emissions.transpose(0, 1), mask.transpose(0, 1)
    seq_length, batch_size = mask.shape
    score = crf.start_transitions + emissions[0]
    history = []
    for i in range(1, seq_length):
        next_score, indices = (score.unsqueeze(2) + crf.transitions + emissions[i].unsqueeze(1)).max(dim=1)
        score = torch.where(mask[i].unsqueeze(1), next_score, score)
        history.append(indices)
    score += crf.end_transitions
    ends = (mask.long().sum(dim=0) - 1).numpy()
    last = score.max(dim=1)[1].numpy()  # the first best, as HanLP's per-row max
    pointers = torch.stack(history).numpy() if history else None
    rows = numpy.arange(batch_size)
    tags = numpy.zeros((seq_length, batch_size), dtype=numpy.int64)
    current = last.copy()
    for i in range(seq_length - 1, -1, -1):
        current[ends == i] = last[ends == i]  # rows whose sequence ends here start their trace back
        tags[i] = current
        if i:
            assert pointers is not None, "a sequence longer than one step has back-pointers"
            current = pointers[i - 1, rows, current]
    return [tags[: ends[row] + 1, row].tolist() for row in range(batch_size)]


def split_name_lists(text: str, spans: list[tuple[int, int, str]], names: NameShapes | None
                     ) -> list[tuple[int, int, str]]:
    """PERSON spans that read as a run of Chinese names (李鹏乔石李瑞环) cut into those names."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        pieces = names.cut(text[start:end]) if names is not None and label == "PERSON" else None
        if not pieces:
            out.append((start, end, label))
            continue
        for a, b in pieces:
            out.append((start + a, start + b, label))
    return out


def load_tagger(path: Path) -> CharBigramTagger:
    """Load a trained tagger from its folder (CPU, no network)."""
    tagger = CharBigramTagger()
    tagger.load(str(path), devices=-1, verbose=False)
    if tagger.model.crf is not None:
        tagger.model.crf.batch_first = True
    return tagger


def _locked_vocab(tokens: Iterable[str], specials: bool = True) -> Vocab:
    vocab = Vocab() if specials else Vocab(pad_token=None, unk_token=None)
    for token in tokens:
        vocab.add(token)
    vocab.lock()
    return vocab
