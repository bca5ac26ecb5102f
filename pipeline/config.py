"""Load and check ``config.toml``: which stages run, in which order, with which settings."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"


class ConfigError(ValueError):
    """The configuration file cannot be used; the message says what to change."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(_Section):
    max_chars: int = Field(2_000_000, gt=0, description="longer documents are rejected")
    drop_boilerplate: bool = True


class NormalizeConfig(_Section):
    converter: Literal["t2s", "none"] = "t2s"


class TokenizeConfig(_Section):
    segmenter: Literal["char", "pkuseg"] = "char"
    pkuseg_model: str | None = None
    pkuseg_user_dict: str | None = None


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
    normalize: NormalizeConfig = NormalizeConfig()
    tokenize: TokenizeConfig = TokenizeConfig()
    components: dict[str, ComponentConfig] = {}

    def ordered_components(self) -> list[tuple[str, ComponentConfig]]:
        return [(name, self.components[name]) for name in self.pipeline.components]


def load_config(path: str | Path | None = None) -> Config:
    """Read a TOML file into a checked :class:`Config`.

    Raises:
        ConfigError: the file is missing, is not TOML, has unknown keys, or
            lists a component it does not define.
    """
    path = Path(path) if path else DEFAULT_CONFIG
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
    return config
