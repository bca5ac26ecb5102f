"""Tokenize: the spaCy Chinese tokenizer (char or pkuseg) and HanLP's sentence splitter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc

from ..config import ConfigError, TokenizeConfig
from ..doc import set_text, text_of

_WHITESPACE = re.compile(r"\s+")
_NEWLINE = re.compile("\n")


def blank_nlp(config: TokenizeConfig) -> Language:
    """A blank ``zh`` pipeline whose tokenizer follows ``config``.

    With ``segmenter = "pkuseg"`` the trained model under ``pkuseg_model`` is
    loaded, with the user dictionary (titles, division names) that keeps
    党工委书记 and 青龙街道 whole.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": config.segmenter}}})
    if config.segmenter == "char":
        nlp.tokenizer = CharTokenizer(nlp.vocab)
    elif config.segmenter == "pkuseg":
        model = Path(config.pkuseg_model or "")
        if not config.pkuseg_model or not model.exists():
            raise ConfigError(
                f"tokenize.pkuseg_model {str(model)!r} does not exist; train one with "
                "'cadregraph train segmenter' or set tokenize.segmenter = \"char\""
            )
        tokenizer = cast(ChineseTokenizer, nlp.tokenizer)  # spacy.blank("zh") made it
        tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict=config.pkuseg_user_dict or "default")
    return nlp


class CharTokenizer:
    """One token per character, whitespace as spaCy's ``char`` segmenter treats it, in linear time.

    spaCy's Chinese tokenizer aligns its words with the text by searching a
    fresh copy of the rest of the text for every word, which is quadratic in
    the document's length. Here a single left-to-right pass gives the same
    tokens and trailing spaces: a run of whitespace before a character is one
    token, and one plain space after a character is that character's trailing
    space.
    """

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for gap in _WHITESPACE.finditer(text):
            words.extend(text[at : gap.start()])
            spaces.extend([False] * (gap.start() - at))
            run = gap.group()
            if gap.start() > 0 and run[0] == " ":  # a plain space after a character is its trailing space
                spaces[-1] = True
                run = run[1:]
            if run:
                words.append(run)
                spaces.append(False)
            at = gap.end()
        words.extend(text[at:])
        spaces.extend([False] * (len(text) - at))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        set_text(doc, text)  # the words and their trailing spaces are the whole text
        return doc


class SentenceSplitter:
    """Sentence boundaries from HanLP's rule-based splitter (。！？, quotes and line breaks)."""

    def __call__(self, doc: Doc) -> Doc:
        from hanlp.utils.rules import split_sentence  # noqa: PLC0415 - keeps import light

        text = text_of(doc)
        starts = {0}
        cursor = 0
        for sentence in split_sentence(text):
            found = text.find(sentence, cursor)
            if found < 0:
                continue
            starts.add(found)
            cursor = found + len(sentence)
        starts.update(m.end() for m in _NEWLINE.finditer(text))
        # One array write: setting token.is_sent_start one by one rescans the doc each time.
        if len(doc):
            first = numpy.isin(doc.to_array(IDX), numpy.fromiter(starts, dtype="int64", count=len(starts)))
            values = numpy.where(first, 1, -1).astype("int32")
            values[0] = 1
            # thinc's Ints2d is its own array class, which numpy's arrays are not declared as
            doc.from_array([SENT_START], values.reshape(-1, 1).astype("uint64"))  # type: ignore[arg-type]
        return doc


@Language.factory("cadregraph_sentences_v1", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter()
