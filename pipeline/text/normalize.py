"""Normalize: an analysis copy of the text in simplified script, the same length as the original.

Every later stage works on the analysis copy; because it has exactly one
character per original character, a span's offsets are valid in both.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import NormalizeConfig
from ..lexicon import is_han

if TYPE_CHECKING:
    from ..schema import Script


@dataclass
class Normalizer:
    """Traditional → simplified (OpenCC t2s) plus width folding, length-preserving."""

    config: NormalizeConfig

    @cached_property
    def _converter(self):
        import opencc  # noqa: PLC0415 - heavy data load, only when used

        return opencc.OpenCC("t2s")

    def to_simplified(self, text: str) -> str:
        """Simplified-script copy of ``text`` (phrase-aware, falling back to per-character)."""
        if self.config.converter == "none" or not text:
            return text
        converted = self._converter.convert(text)
        if len(converted) == len(text):
            return converted
        return "".join(_one_char(self._converter.convert(ch), ch) for ch in text)

    def __call__(self, text: str) -> str:
        """The analysis text: simplified script, full-width ASCII folded to half-width."""
        return "".join(_one_char(unicodedata.normalize("NFKC", ch), ch) for ch in self.to_simplified(text))

    def script_of(self, text: str) -> Script:
        """'traditional', 'simplified' or 'mixed', judged by how much t2s changes."""
        if self.config.converter == "none" or not text:
            return "simplified"
        changed = sum(a != b for a, b in zip(text, self.to_simplified(text), strict=True))
        han = sum(map(is_han, text)) or 1
        ratio = changed / han
        return "traditional" if ratio > 0.05 else "mixed" if ratio > 0.005 else "simplified"


def _one_char(converted: str, original: str) -> str:
    return converted if len(converted) == 1 else original
