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

from .bio import bio_spans_of_ids
from .features import N_BITS, FeatureLexicon, code_points
from ..names import NameShapes

END = "</s>"
END_CODE = 0x110000  # END's stand-in among code points (one past the last)


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
    _lookups: tuple[CodeIds, CodeIds] | None = None  # the character and bigram ids by code points, made when needed

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
        self._lookups = None
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
                results[i] = split_name_lists(texts[i], bio_spans_of_ids(ids, idx_to_tag), self.names)
        return results

    def _tensors(self, texts: Sequence[str], convention: str) -> dict[str, torch.Tensor]:
        """The padded ``token_id``, ``bigram_id`` and ``feature_id`` of non-empty ``texts``, from their code points."""
        lengths = numpy.fromiter(map(len, texts), numpy.int64, len(texts))
        codes = code_points(texts, int(lengths.max()))
        if self._lookups is None:
            self._lookups = CodeIds.of_chars(self.vocabs["token"]), CodeIds.of_bigrams(self.vocabs["bigram"])
        chars, pairs = self._lookups
        following = numpy.full(codes.shape, END_CODE, dtype=numpy.int64)
        following[:, :-1] = codes[:, 1:]
        following[numpy.arange(len(texts)), lengths - 1] = END_CODE
        features = (self.lexicon.feature_array(codes, lengths, convention) if self.lexicon is not None
                    else numpy.zeros(codes.shape, dtype=numpy.int64))
        inside = numpy.arange(codes.shape[1]) < lengths[:, None]
        arrays = {"token_id": chars(codes), "bigram_id": pairs(codes.astype(numpy.int64) << 21 | following),
                  "feature_id": features}
        return {key: torch.from_numpy(numpy.where(inside, values, 0)) for key, values in arrays.items()}


class CodeIds:
    """A vocabulary's ids looked up by code point (characters) or pair of code points (bigrams), many at once."""

    def __init__(self, ids: dict[int, int], unknown: int):
        keys = sorted(ids)
        self.keys = numpy.array([-1, *keys], dtype=numpy.int64)  # -1, never a key, keeps the array non-empty
        self.ids = numpy.array([unknown, *(ids[key] for key in keys)], dtype=numpy.int64)
        self.unknown = unknown

    @classmethod
    def of_chars(cls, vocab: Vocab) -> CodeIds:
        ids = _ids(vocab)
        return cls({ord(token): i for token, i in ids.items() if len(token) == 1}, ids[vocab.unk_token])

    @classmethod
    def of_bigrams(cls, vocab: Vocab) -> CodeIds:
        """Keys ``first << 21 | second``, :data:`END_CODE` standing for :data:`END`."""
        ids = _ids(vocab)
        keys = {}
        for token, i in ids.items():
            if len(token) == 2:
                keys[ord(token[0]) << 21 | ord(token[1])] = i
            elif len(token) == 1 + len(END) and token.endswith(END):
                keys[ord(token[0]) << 21 | END_CODE] = i
        return cls(keys, ids[vocab.unk_token])

    def __call__(self, codes: numpy.ndarray) -> numpy.ndarray:
        at = numpy.minimum(numpy.searchsorted(self.keys, codes), len(self.keys) - 1)
        return numpy.where(self.keys[at] == codes, self.ids[at], self.unknown)


def _ids(vocab: Vocab) -> dict[str, int]:
    """A locked vocabulary's index (what ``Vocab.get_idx`` reads, without a call per token)."""
    if vocab.mutable:
        raise ValueError("the tagger's vocabularies must be locked")
    return vocab.token_to_idx


def viterbi(crf: Any, emissions: torch.Tensor, mask: torch.Tensor) -> list[numpy.ndarray]:
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
    return [tags[: ends[row] + 1, row] for row in range(batch_size)]


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
