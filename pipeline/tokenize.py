"""Tokenize: the spaCy Chinese tokenizer (char or pkuseg) and HanLP's sentence splitter."""

from __future__ import annotations

from pathlib import Path

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .config import ConfigError, TokenizeConfig


def blank_nlp(config: TokenizeConfig) -> Language:
    """A blank ``zh`` pipeline whose tokenizer follows ``config``.

    With ``segmenter = "pkuseg"`` the trained model under ``pkuseg_model`` is
    loaded, with the user dictionary (titles, division names) that keeps
    党工委书记 and 青龙街道 whole.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": config.segmenter}}})
    if config.segmenter == "pkuseg":
        model = Path(config.pkuseg_model or "")
        if not config.pkuseg_model or not model.exists():
            raise ConfigError(
                f"tokenize.pkuseg_model {str(model)!r} does not exist; train one with "
                "'cadregraph train segmenter' or set tokenize.segmenter = \"char\""
            )
        nlp.tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict=config.pkuseg_user_dict or "default")
    return nlp


class SentenceSplitter:
    """Sentence boundaries from HanLP's rule-based splitter (。！？, quotes and line breaks)."""

    def __call__(self, doc: Doc) -> Doc:
        from hanlp.utils.rules import split_sentence  # noqa: PLC0415 - keeps import light

        text = doc.text
        starts = {0}
        cursor = 0
        for sentence in split_sentence(text):
            found = text.find(sentence, cursor)
            if found < 0:
                continue
            starts.add(found)
            cursor = found + len(sentence)
        starts.update(i + 1 for i, ch in enumerate(text) if ch == "\n")
        # One array write: setting token.is_sent_start one by one rescans the doc each time.
        values = numpy.fromiter((1 if t.idx in starts else -1 for t in doc), dtype="int32", count=len(doc))
        if len(doc):
            values[0] = 1
            doc.from_array([SENT_START], values.reshape(-1, 1).astype("uint64"))
        return doc


@Language.factory("cadregraph_sentences_v1", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter()
