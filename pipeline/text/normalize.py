"""Normalize: an analysis copy of the text in simplified script, the same length as the original.

Every later stage works on the analysis copy; because it has exactly one
character per original character, a span's offsets are valid in both.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import NormalizeConfig
from ..lexicon import HAN

if TYPE_CHECKING:
    from ..schema import Script


@dataclass
class Normalizer:
    """Traditional → simplified (OpenCC t2s) plus width folding, length-preserving."""

    config: NormalizeConfig
    _last: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @cached_property
    def _converter(self):
        import opencc  # noqa: PLC0415 - heavy data load, only when used

        return opencc.OpenCC("t2s")

    def to_simplified(self, text: str) -> str:
        """Simplified-script copy of ``text`` (phrase-aware, falling back to per-character).

        The last text's copy is kept: the analysis text and the script of an article convert it once.
        """
        if self.config.converter == "none" or not text:
            return text
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        converted = self._converter.convert(text)
        if len(converted) != len(text):
            converted = "".join(_one_char(self._converter.convert(ch), ch) for ch in text)
        self._last = (text, converted)
        return converted

    def __call__(self, text: str) -> str:
        """The analysis text: simplified script, full-width ASCII folded to half-width."""
        return self.to_simplified(text).translate(self._folding)

    @cached_property
    def _folding(self) -> _Folding:
        return _Folding()

    def script_of(self, text: str) -> Script:
        """'traditional', 'simplified' or 'mixed', judged by how much t2s changes."""
        if self.config.converter == "none" or not text:
            return "simplified"
        simplified = self.to_simplified(text)
        changed = sum(map(operator.ne, text, simplified))  # the copy has the text's length
        han = len(_HAN.findall(text)) or 1
        ratio = changed / han
        return "traditional" if ratio > 0.05 else "mixed" if ratio > 0.005 else "simplified"


def _one_char(converted: str, original: str) -> str:
    return converted if len(converted) == 1 else original


_HAN = re.compile(f"[{HAN}]")


class _Folding(dict):
    """A ``str.translate`` table: each character's NFKC form where that is one character, filled as met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = folded = _one_char(unicodedata.normalize("NFKC", ch), ch)
        return folded
