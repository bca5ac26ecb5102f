"""The whole per-document path: clean text in, validated :class:`Document` out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .config import Config, ConfigError
from .doc import register_extensions, set_outlet
from .emit import to_document
from .ingest import Article
from .normalize import Normalizer
from .schema import Document
from .tokenize import blank_nlp

BATCH_SIZE = 16  # documents whose sentences the tagger tags together
_FAILURE = "cadregraph.failure"  # Doc.user_data key: the StageError of the component that failed on the doc


class StageError(RuntimeError):
    """A stage failed on one document; ``stage`` names it."""

    def __init__(self, stage: str, error: Exception):
        super().__init__(f"{stage}: {type(error).__name__}: {error}")
        self.stage = stage
        self.error = error


def build_nlp(config: Config) -> Language:
    """The spaCy pipeline named by ``config``, checked before any document runs.

    Raises:
        ConfigError: an unknown factory, a bad setting, or a component whose
            required attributes no earlier component assigns.
    """
    from . import discourse, relations, resolve, tokenize  # noqa: F401, PLC0415 - registers factories
    from .ner import initiatives, orgs, persons, places, statistical  # noqa: F401, PLC0415

    register_extensions()
    nlp = blank_nlp(config.tokenize)
    for name, component in config.ordered_components():
        if not nlp.has_factory(component.factory):
            known = sorted(f for f in Language.factories if f.startswith("cadregraph_"))
            raise ConfigError(f"component {name!r}: unknown factory {component.factory!r}; known: {', '.join(known)}")
        try:
            nlp.add_pipe(component.factory, name=name, config=component.settings)
        except Exception as err:  # spaCy's ConfigValidationError and friends
            raise ConfigError(f"component {name!r}: {err}") from err
    problems = {k: v for k, v in nlp.analyze_pipes()["problems"].items() if v}
    if problems:
        raise ConfigError(f"pipeline components require attributes no earlier component sets: {problems}")
    return nlp


class Extractor:
    """Runs normalize → spaCy components → emit on cleaned articles."""

    def __init__(self, config: Config):
        self.config = config
        self.normalizer = Normalizer(config.normalize)
        self.nlp = build_nlp(config)
        self.nlp.set_error_handler(_record_failure)

    def __call__(self, article: Article) -> Document:
        """The document of one article.

        Raises:
            StageError: a stage failed; ``stage`` names it.
        """
        (result,) = self.pipe([article])
        if isinstance(result, StageError):
            raise result
        return result

    def pipe(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[Document | StageError]:
        """The document of each article, in order, or the :class:`StageError` of the stage that failed on it.

        The components run through ``Language.pipe``, so the tagger tags the
        sentences of ``batch_size`` documents together; a failure is one
        article's and never stops the others.
        """
        for chunk in minibatch(articles, batch_size):
            docs = [self._make_doc(article) for article in chunk]
            done = iter(list(self.nlp.pipe([d for d in docs if isinstance(d, Doc)], batch_size=batch_size)))
            for article, doc in zip(chunk, docs, strict=True):
                if isinstance(doc, StageError):
                    yield doc
                elif _FAILURE in doc.user_data:
                    yield doc.user_data[_FAILURE]
                else:
                    yield self._emit(article, next(done))

    def _make_doc(self, article: Article) -> Doc | StageError:
        try:
            analysis = self.normalizer(article.text)
            article.metadata.script = self.normalizer.script_of(article.text)
        except Exception as err:
            return _stage_error("normalize", err)
        try:
            doc = self.nlp.make_doc(analysis)
            set_outlet(doc, *(self.normalizer(v) for v in (article.metadata.source, article.metadata.author) if v))
        except Exception as err:
            return _stage_error("extract", err)
        return doc

    @staticmethod
    def _emit(article: Article, doc: Doc) -> Document | StageError:
        try:
            return to_document(article, doc)  # validated as it is built
        except Exception as err:
            return _stage_error("emit", err)


def _stage_error(stage: str, err: Exception) -> StageError:
    error = StageError(stage, err)
    error.__cause__ = err
    return error


def _record_failure(name: str, component: object, docs: list[Doc], err: Exception) -> None:
    """``Language.pipe``'s error handler: the documents a component failed on carry the failure and drop out."""
    for doc in docs:
        doc.user_data[_FAILURE] = _stage_error(name, err)
