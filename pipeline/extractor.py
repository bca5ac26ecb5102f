"""The whole per-document path: clean text in, validated :class:`Document` out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .config import Config, ConfigError
from .doc import register_extensions, set_outlet
from .document import to_document
from .text.ingest import Article
from .text.normalize import Normalizer
from .schema import Document
from .text.tokenize import blank_nlp


def register_factories() -> None:
    """Import the modules whose ``@Language.factory`` decorators register the pipeline's components."""
    from . import units  # noqa: F401, PLC0415
    from .ner import fusion, initiatives, orgs, places, titles  # noqa: F401, PLC0415
    from .relations import rules  # noqa: F401, PLC0415
    from .resolve import component  # noqa: F401, PLC0415
    from .text import tokenize  # noqa: F401, PLC0415


BATCH_SIZE = 16  # documents whose sentences the tagger tags together


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
    register_factories()
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
    problems = contract_problems(nlp)
    if problems:
        raise ConfigError("pipeline order: " + "; ".join(problems))
    for name, pipe in nlp.pipeline:
        initialize = getattr(pipe, "initialize", None)
        if initialize is None:
            continue
        try:
            initialize(list, nlp=nlp)
        except ConfigError:
            raise
        except Exception as err:
            raise ConfigError(f"component {name!r} could not load its resources: {type(err).__name__}: {err}") \
                from err
    return nlp


def contract_problems(nlp: Language) -> list[str]:
    """Every place where a component runs before what it reads is ready.

    A component must follow some component that assigns each attribute it requires (spaCy's own check),
    and every producer of it: a component that assigns the attribute without requiring it. Components
    that require and assign one attribute amend it (a repeated name added to the mentions) and may follow.
    """
    metas = [(name, nlp.get_pipe_meta(name)) for name in nlp.pipe_names]
    problems = []
    for i, (name, meta) in enumerate(metas):
        for attr in meta.requires:
            before = [n for n, m in metas[:i] if attr in m.assigns]
            late = [n for n, m in metas[i + 1:] if attr in m.assigns and attr not in m.requires]
            if not before:
                problems.append(f"{name!r} requires {attr} but no earlier component assigns it")
            if late:
                problems.append(f"{name!r} requires {attr}, which {', '.join(map(repr, late))} assigns later")
    return problems


class Extractor:
    """Runs normalize → spaCy components → emit on cleaned articles."""

    def __init__(self, config: Config):
        self.config = config
        self.normalizer = Normalizer(config.normalize)
        self.nlp = build_nlp(config)
        # spaCy types the handler as never returning; Language.pipe goes on after one that returns.
        self.nlp.set_error_handler(_record_failure)  # type: ignore[arg-type]

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
                elif doc._.failure is not None:
                    yield doc._.failure
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
        doc._.failure = _stage_error(name, err)
