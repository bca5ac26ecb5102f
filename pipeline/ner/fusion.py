"""Statistical NER: the trained tagger's spans, fused with the rule mentions.

Fusion policy (rules first, the model fills gaps):

1. Rules win. A model span that overlaps a rule mention which could compete
   with it (see ``_BLOCKED_BY``) is dropped, whatever its label; a PLACE inside
   a model ORG does not block it (安宁 in 安宁永昌钢铁有限公司).
2. The model adds PERSON, PLACE and ORG where no rule fired, under shape
   checks that the tagger's training data cannot teach: a PERSON is a
   surname plus one or two Han characters; an ORG has at least three
   characters and a name of its own (常委会, 市政府 name only a kind of
   organ); a PLACE (unless ``any_place`` is set, so a country or a river
   is left to the gazetteer) is one of
   - a locality below the official list (村, 社区, 居委会, 嘎查, 屯),
   - a zone (开发区, 新区, 园区 …),
   - a division (镇, 乡, 街道, 县, 市 …) whose name the official list
     knows: the rules already take every listed name they trust, so an
     unlisted one is a misreading (借力街镇 → 力街镇).
   A model ORG named as a zone (滨州经济技术开发区) becomes a PLACE: the
   annotation guidelines count zones as places.
3. A model TITLE is kept only right before a PERSON mention, where it feeds
   the position relations exactly as a rule title does.
4. The model confirms name boundaries: where a rule took a name after a
   title by its length heuristic (县长王伟召开 → 王伟召) and the model's name
   starts at the same character but ends one character earlier or later, the
   model's end is used.
5. The model recognises role-model labels: a rule INITIATIVE that is a name
   the model tags as PERSON plus 式 (“焦裕禄式”好干部, “王伟式”村书记) names a
   kind of person modelled on someone, not a programme, and is dropped; the
   person, named only inside the label, is not added either. The tagger
   reads each such label on its own as well as in its sentence.

Every added mention has ``span.id_ == "model"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch, raise_error

from ..config import ConfigError
from ..doc import (
    MENTIONS,
    add_mention,
    mentions,
    register_extensions,
    replace_mentions,
    text_of,
)
from ..gazetteer import Gazetteer, load_gazetteer
from .tagger.features import SOURCES
from ..lexicon import HAN, load_lexicon
from .names import surname_of

MODEL_RULE = "model"
TAGGER_FACTORY = "cadregraph_entity_tagger_v1"
# Rules whose name length is a heuristic the model may correct.
NAME_LENGTH_RULES = {"title_name"}
_BLOCKED_BY = {
    "PERSON": {"PERSON", "PLACE", "ORG", "INITIATIVE", "TITLE"},
    "PLACE": {"PERSON", "PLACE", "ORG", "INITIATIVE", "TITLE"},
    "ORG": {"PERSON", "ORG", "INITIATIVE", "TITLE"},
    "TITLE": {"PERSON", "PLACE", "ORG", "INITIATIVE", "TITLE"},
}
_HAN_NAME = re.compile(f"[{HAN}]{{2,4}}")
_CUT_AFTER = "。！？；;，,、：:"
_QUOTE_MARKS = "“”‘’「」\"'"
ROLE_MODEL_MARK = "式"
ErrorHandler = Callable[[str, object, list[Doc], Exception], None]


class EntityTagger:
    """Tags each sentence with the trained BiLSTM-CRF and adds the spans the fusion policy allows."""

    def __init__(self, model: str, batch_size: int = 64, max_length: int = 200, any_place: bool = False,
                 threads: int = 1, convention: str = "peoples_daily", name: str = "entities"):
        if convention not in SOURCES:
            raise ConfigError(f"components.entities.settings.convention {convention!r}: one of {', '.join(SOURCES)}")
        self.convention = convention
        self.model_path = Path(model) if model else None  # no model: the rule mentions alone
        if self.model_path is not None and not (self.model_path / "config.json").exists():
            raise ConfigError(
                f"NER model {str(self.model_path)!r} not found; train it with "
                "'cadregraph train ner' or set components.entities.settings.model = \"\" for the rules alone"
            )
        self.batch_size = batch_size
        self.max_length = max_length
        self.any_place = any_place
        self.threads = threads
        self.name = name
        self.error_handler: ErrorHandler = raise_error

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the HanLP tagger, so that a missing or broken model stops the run before the first document.

        Torch is limited to ``threads`` threads: batch runs use one process per
        core, and more threads per process only contend with each other.
        """
        if self.model_path is None:
            return
        import torch  # noqa: PLC0415 - torch and HanLP load only with the model

        from .tagger.model import load_tagger  # noqa: PLC0415

        torch.set_num_threads(self.threads)
        try:
            self.tagger = load_tagger(self.model_path)
            # One short sentence through the network: a model that loads but cannot tag fails here, and the
            # tagger's lookup tables are built before the first document.
            self.tagger.tag(["县委书记"], 1, self.convention)
        except Exception as err:  # HanLP and torch raise many kinds of errors for a damaged model
            raise ConfigError(f"NER model {str(self.model_path)!r} cannot be loaded ({type(err).__name__}: {err}); "
                              "retrain it with 'cadregraph train ner'") from err

    def __call__(self, doc: Doc) -> Doc:
        if self.model_path is None:
            return doc
        return next(iter(self._tag_docs([doc], raise_error)))

    def set_error_handler(self, error_handler: ErrorHandler) -> None:
        """What to do with a document the tagger fails on (``Language.set_error_handler`` sets it)."""
        self.error_handler = error_handler

    def get_error_handler(self) -> ErrorHandler:
        return self.error_handler

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Tag the sentences of several documents in shared batches; a document that fails goes to the error handler."""
        if self.model_path is None:
            yield from docs
            return
        for batch in minibatch(docs, batch_size):
            yield from self._tag_docs(batch, self.error_handler)

    def _tag_docs(self, docs: list[Doc], on_error: ErrorHandler) -> Iterator[Doc]:
        pieces: dict[int, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            try:
                pieces[i] = [*self.pieces(doc), *role_model_labels(doc)]
            except Exception as err:
                on_error(self.name, self, [doc], err)
        found = self._tag_pieces(docs, pieces)
        if found is None:  # the shared batch failed: tag each document alone, to fail only the one at fault
            found = {}
            for i in pieces:
                try:
                    found |= self._tag_pieces(docs, {i: pieces[i]}) or {}
                except Exception as err:
                    on_error(self.name, self, [docs[i]], err)
        for i, spans in found.items():
            try:
                fuse(docs[i], spans, self.any_place)
            except Exception as err:
                on_error(self.name, self, [docs[i]], err)
                continue
            yield docs[i]

    def _tag_pieces(self, docs: list[Doc], pieces: dict[int, list[tuple[int, int]]]
                    ) -> dict[int, list[tuple[int, int, str]]] | None:
        """The model's spans in each document of ``pieces``; None if tagging several failed."""
        flat = [(i, start, end) for i, spans in pieces.items() for start, end in spans]
        texts = [text_of(docs[i])[start:end] for i, start, end in flat]
        try:
            tagged = self.tagger.tag(texts, self.batch_size, self.convention) if texts else []
        except Exception:
            if len(pieces) > 1:
                return None
            raise
        spans: dict[int, list[tuple[int, int, str]]] = {i: [] for i in pieces}
        for (i, start, _), entities in zip(flat, tagged, strict=True):
            spans[i] += [(start + s, start + e, label) for s, e, label in entities]
        return spans

    def pieces(self, doc: Doc) -> list[tuple[int, int]]:
        """Sentence spans with text, cut after punctuation to at most ``max_length`` characters."""
        text = text_of(doc)
        out = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while end - start > self.max_length:
                window = text[start : start + self.max_length]
                cut = max(window.rfind(ch) for ch in _CUT_AFTER)
                cut = start + (cut + 1 if cut > 0 else self.max_length)
                out.append((start, cut))
                start = cut
            if text[start:end].strip():
                out.append((start, end))
        return out


def fuse(doc: Doc, spans: list[tuple[int, int, str]], any_place: bool = False,
         gazetteer: Gazetteer | None = None) -> None:
    """Add the model's ``(start, end, label)`` spans to ``doc`` under the fusion policy."""
    gazetteer = gazetteer or load_gazetteer()
    text = text_of(doc)
    zones = load_lexicon().zone_suffixes
    spans = [(s, e, "PLACE" if label == "ORG" and text[s:e].endswith(zones) else label)
             for s, e, label in spans]
    _confirm_name_ends(doc, text, [(s, e) for s, e, label in spans if label == "PERSON"])
    rules = [(m.start_char, m.end_char, m.label_) for m in mentions(doc)]
    _drop_role_models(doc, text, {(s, e) for s, e, label in spans if label == "PERSON"})
    persons_at = {m.start_char for m in mentions(doc, "PERSON")}
    kept = []
    for start, end, label in spans:
        if label not in _BLOCKED_BY or _blocked(start, end, label, rules):
            continue
        surface = text[start:end]
        if label == "PERSON" and not is_person_name(surface):
            continue
        if (label == "PLACE" and not (any_place or is_place_name(surface, gazetteer))) or len(surface) < 2:
            continue
        if label == "ORG" and (len(surface) < 3 or _generic_org().fullmatch(surface)):
            continue
        kept.append((start, end, label))
    persons_at |= {s for s, _, label in kept if label == "PERSON"}
    for start, end, label in kept:
        if label == "TITLE" and not _before_person(text, end, persons_at):
            continue
        add_mention(doc, start, end, label, MODEL_RULE)


def _confirm_name_ends(doc: Doc, text: str, names: list[tuple[int, int]]) -> None:
    ends = {start: end for start, end in names}
    group = doc.spans.get(MENTIONS)
    if not group or not ends:
        return
    changed = False
    spans = list(group)
    for i, span in enumerate(spans):
        end = ends.get(span.start_char)
        if span.label_ != "PERSON" or span.id_ not in NAME_LENGTH_RULES or end is None:
            continue
        if abs(end - span.end_char) == 1 and is_person_name(text[span.start_char:end]):
            spans[i] = doc.char_span(span.start_char, end, label="PERSON", span_id=span.id_) or span
            changed = True
    if changed:
        replace_mentions(doc, spans)


def role_model_labels(doc: Doc) -> list[tuple[int, int]]:
    """The contents (quote marks stripped) of rule INITIATIVE mentions that end in 式.

    The tagger reads each also on its own: the sentence around a label
    (培育“王伟式”村书记) often hides the name that the label alone shows.
    """
    text = text_of(doc)
    found = []
    for span in mentions(doc, "INITIATIVE"):
        start, end = _content(text, span.start_char, span.end_char)
        if span.id_ != MODEL_RULE and text[end - 1 : end] == ROLE_MODEL_MARK:
            found.append((start, end))
    return found


def _drop_role_models(doc: Doc, text: str, names: set[tuple[int, int]]) -> None:
    """Remove rule INITIATIVE mentions whose whole content is a tagged name plus 式."""
    labels = {(start, end - 1) for start, end in role_model_labels(doc)} & names
    if not labels:
        return
    kept = []
    for span in doc.spans[MENTIONS]:
        start, end = _content(text, span.start_char, span.end_char)
        if span.label_ != "INITIATIVE" or span.id_ == MODEL_RULE or (start, end - 1) not in labels:
            kept.append(span)
    replace_mentions(doc, kept)


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` with surrounding quote marks stripped."""
    while start < end and text[start] in _QUOTE_MARKS:
        start += 1
    while end > start and text[end - 1] in _QUOTE_MARKS:
        end -= 1
    return start, end


def is_place_name(surface: str, gazetteer: Gazetteer) -> bool:
    """A locality below the official list, a zone, or a division the official list knows."""
    lexicon = load_lexicon()
    if surface.endswith(lexicon.locality_suffixes + lexicon.zone_suffixes):
        return True
    return surface.endswith(lexicon.division_suffixes) and bool(gazetteer.lookup(surface))


def is_person_name(surface: str) -> bool:
    """A surname plus one or two Han characters, not a known non-name."""
    return bool(_HAN_NAME.fullmatch(surface)) and surface not in load_lexicon().non_names \
        and surname_of(surface) is not None


def _blocked(start: int, end: int, label: str, rules: list[tuple[int, int, str]]) -> bool:
    blockers = _BLOCKED_BY[label]
    return any(s < end and start < e and other in blockers for s, e, other in rules)


def _before_person(text: str, end: int, persons_at: set[int]) -> bool:
    return end in persons_at or (end + 1 in persons_at and text[end] in " \u3000")


@Language.factory(
    TAGGER_FACTORY,
    assigns=["doc._.mentions"],
    requires=["token.is_sent_start", "doc._.places", "doc._.titles", "doc._.persons", "doc._.orgs",
              "doc._.initiatives"],
    default_config={"model": "models/ner", "batch_size": 64, "max_length": 200, "any_place": False, "threads": 1,
                    "convention": "peoples_daily"},
)
def make_entity_tagger(nlp: Language, name: str, model: str, batch_size: int, max_length: int,
                       any_place: bool, threads: int, convention: str) -> EntityTagger:
    register_extensions()
    return EntityTagger(model, batch_size, max_length, any_place, threads, convention, name)


@cache
def _generic_org() -> re.Pattern[str]:
    """An organ named by its kind alone (常委会, 市政府): the rules own the full names it abbreviates."""
    lexicon = load_lexicon()
    organs = sorted({*lexicon.organs, *lexicon.org_heads["generic"]["organs"]}, key=len, reverse=True)
    return re.compile("[省市州县区镇乡村]?(?:" + "|".join(organs) + ")")
