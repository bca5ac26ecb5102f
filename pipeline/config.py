"""Load and check ``config.toml``: which stages run, in which order, with which settings."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# The default configuration ships in the package; in a checkout it is the project's config.toml (a link).
DEFAULT_CONFIG = (Path(__file__).parent / "resources" / "config.toml").resolve()
MODELS_VARIABLE = "CADREGRAPH_MODELS"  # a folder that replaces models/ in the model paths, like --models


class ConfigError(ValueError):
    """The configuration file cannot be used; the message says what to change."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(_Section):
    max_chars: int = Field(200_000, gt=0, description="longer documents are rejected (tokenizing costs grow "
                                                      "faster than length; spaCy stops at 1,000,000)")
    max_bytes: int = Field(8_000_000, gt=0, description="larger files or records are rejected before decoding")
    drop_boilerplate: bool = True
    encodings: list[str] = Field(["utf_8", "gb18030", "big5", "utf_16", "utf_32"],
                                 description="candidate encodings for detection, after BOMs and strict UTF-8")
    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"


class BatchConfig(_Section):
    workers: int = Field(0, ge=0, description="worker processes; 0 = all cores")
    doc_timeout: float = Field(120.0, ge=0, description="seconds one document may take; 0 = no limit")
    max_id_length: int = Field(100, ge=16, le=200, description="characters of a document id (file name)")
    ids: Literal["stem", "path"] = Field("stem", description="a file's document id: its name without extension, "
                                         "or its path under the input folder (2024%2F03%2F11%2Findex)")


class DuplicatesConfig(_Section):
    """Exact and near-duplicate articles (MinHash over character shingles); a group counts once in edge weights."""

    enabled: bool = True
    threshold: float = Field(0.8, gt=0, le=1, description="estimated Jaccard similarity of the shingle sets "
                                                           "from which two articles are duplicates")
    shingle: int = Field(5, ge=1, le=50, description="characters per shingle")
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations (more: a closer estimate)")


class NormalizeConfig(_Section):
    converter: Literal["t2s", "none"] = "t2s"


class TokenizeConfig(_Section):
    segmenter: Literal["char", "pkuseg"] = "char"
    pkuseg_model: str | None = None
    pkuseg_user_dict: str | None = None


class ReportConfig(_Section):
    """The HTML report written at the end of ``extract`` (see :mod:`pipeline.report`)."""

    enabled: bool = Field(True, description="write OUTPUT/report.html at the end of every extract run")
    graph_nodes: int = Field(150, ge=1, description="nodes drawn at first, by support; the page can show more")
    max_graph_nodes: int = Field(3000, ge=1, description="nodes the page holds at all")
    max_text_chars: int = Field(2_500_000, ge=0, description="article text embedded, in documents by support; "
                                                             "the others show their evidence sentences only")


class ComponentConfig(_Section):
    """One spaCy component: a registered factory plus its settings."""

    factory: str
    settings: dict[str, Any] = {}


class PipelineConfig(_Section):
    components: list[str]
    exporters: list[str] = ["json", "graphml", "node_link", "schema"]


class Config(_Section):
    pipeline: PipelineConfig
    ingest: IngestConfig = IngestConfig()
    batch: BatchConfig = BatchConfig()
    duplicates: DuplicatesConfig = DuplicatesConfig()
    normalize: NormalizeConfig = NormalizeConfig()
    tokenize: TokenizeConfig = TokenizeConfig()
    report: ReportConfig = ReportConfig()
    components: dict[str, ComponentConfig] = {}

    def with_settings(self, factory: str, **settings: Any) -> Config:
        """A copy whose components built by ``factory`` get ``settings`` (``model=""``: the rules alone)."""
        copy = self.model_copy(deep=True)
        for component in copy.components.values():
            if component.factory == factory:
                component.settings.update(settings)
        return copy

    def with_component(self, name: str, before: str) -> Config:
        """A copy whose pipeline also runs the defined component ``name``, right before ``before``."""
        copy = self.model_copy(deep=True)
        if name not in copy.pipeline.components:
            copy.pipeline.components.insert(copy.pipeline.components.index(before), name)
        return copy

    def ordered_components(self) -> list[tuple[str, ComponentConfig]]:
        return [(name, self.components[name]) for name in self.pipeline.components]


def load_config(path: str | Path | None = None, models: str | Path | None = None) -> Config:
    """Read a TOML file into a checked :class:`Config`.

    Args:
        models: a folder that replaces ``models/`` in the model paths (``models/ner`` → ``MODELS/ner``);
            default: the ``CADREGRAPH_MODELS`` environment variable. Without either, a relative model path
            is taken from the config file's folder, else from the project's, so a config copied elsewhere
            in a checkout still finds the shipped models.

    Raises:
        ConfigError: the file is missing, is not TOML, has unknown keys, lists a
            component it does not define, or names a model folder that does not exist.
    """
    path = Path(path) if path else DEFAULT_CONFIG
    models = models or os.environ.get(MODELS_VARIABLE) or None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: config file not found") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"{path}: {err}") from err
    missing = [name for name in config.pipeline.components if name not in config.components]
    if missing:
        raise ConfigError(f"{path}: [pipeline].components lists {missing} with no [components.NAME] table")
    config = _resolve_paths(config, path.resolve().parent, Path(models) if models else None)
    _check_models(config, path, models)
    return config


# Settings that name files; relative values are taken from the config file's folder.
PATH_SETTINGS = ("model",)
_MODELS = "models"


def _resolve_paths(config: Config, base: Path, models: Path | None = None) -> Config:
    def resolve(value: str | None) -> str | None:
        if not value or Path(value).is_absolute():
            return value
        parts = Path(value).parts
        if models is not None and parts[0] == _MODELS:
            return str(models.resolve().joinpath(*parts[1:]))
        local, project = base / value, DEFAULT_CONFIG.parent / value
        return str(project if not local.exists() and project.exists() else local)

    config.tokenize.pkuseg_model = resolve(config.tokenize.pkuseg_model)
    config.tokenize.pkuseg_user_dict = resolve(config.tokenize.pkuseg_user_dict)
    for component in config.components.values():
        for key in PATH_SETTINGS:
            if isinstance(component.settings.get(key), str):
                component.settings[key] = resolve(component.settings[key])
    return config


def _check_models(config: Config, path: Path, models: str | Path | None) -> None:
    """Stop at load time, with the fix, when a model the pipeline uses is missing."""
    needed = [(name, c.settings[key]) for name, c in config.ordered_components() for key in PATH_SETTINGS
              if isinstance(c.settings.get(key), str) and c.settings[key]]
    if config.tokenize.segmenter == "pkuseg" and config.tokenize.pkuseg_model:
        needed.append(("tokenize", config.tokenize.pkuseg_model))
    for name, value in needed:
        if not Path(value).exists():
            where = f"--models {models}" if models else f"{path} (relative paths: its folder, then the project's)"
            raise ConfigError(f"{name}: model {value} not found, from {where}; pass --models DIR (or set "
                              f"{MODELS_VARIABLE}) with the folder that holds ner/ and segmenter/, or fix the path "
                              f"in {path}")
