"""Ingest: read an article file, decode it, strip web boilerplate, keep its metadata."""

from __future__ import annotations

import codecs
import datetime
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..config import IngestConfig
from ..lexicon import words_pattern
from ..schema import Metadata

if TYPE_CHECKING:
    from trafilatura.settings import Document as Page


class IngestError(ValueError):
    """An input cannot be read as an article; the message names the file and the problem."""


@dataclass
class Article:
    """A cleaned article: the text to analyse plus what was learnt about it."""

    doc_id: str
    text: str
    metadata: Metadata
    warnings: list[str] = field(default_factory=list)


_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_FIELD = r"\s*[:：]\s*"
_TIMESTAMP_LINE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?")
_BREADCRUMB = re.compile(r"\S\s*[>＞»]\s*\S")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,：:“”]")


@dataclass(frozen=True)
class Boilerplate:
    """Patterns of what wraps an article on a web page, from ``resources/boilerplate.toml``."""

    data: dict

    def _words(self, section: str, name: str) -> str:
        return words_pattern(self.data[section][name])

    @cached_property
    def source(self) -> re.Pattern[str]:
        return re.compile(f"(?:{self._words('metadata', 'source')})" + _FIELD + r"([^\s　|]+)")

    @cached_property
    def author(self) -> re.Pattern[str]:
        """The author's name up to the next field of the line (来源, 编辑, 时间)."""
        fields = self._words("metadata", "author_ends")
        return re.compile(f"(?:{self._words('metadata', 'author')})" + _FIELD
                          + f"((?:{self._words('metadata', 'author_roles')})?" + r"\s*[^|]*?)\s*" + f"(?=$|{fields})")

    @cached_property
    def editor(self) -> re.Pattern[str]:
        return re.compile(f"(?:{self._words('metadata', 'editor')})" + _FIELD + r"([^\s　|]+)")

    @cached_property
    def meta_line(self) -> re.Pattern[str]:
        return re.compile(r"^(?:[•·\-\s]*)" + f"(?:{self._words('metadata', 'line')})" + _FIELD)

    @cached_property
    def page_tools(self) -> re.Pattern[str]:
        return re.compile(f"({self._words('page', 'tools')})")

    @cached_property
    def tail_marker(self) -> re.Pattern[str]:
        return re.compile(r"^\s*" + f"({self._words('page', 'tail_markers')})" + r"\s*[:：]?\s*$")

    @cached_property
    def footer(self) -> re.Pattern[str]:
        return re.compile(f"({self._words('page', 'footer')})", re.IGNORECASE)


@cache
def load_boilerplate() -> Boilerplate:
    """The boilerplate table shipped in the package (read once per process)."""
    path = resources.files("pipeline").joinpath("resources", "boilerplate.toml")
    return Boilerplate(tomllib.loads(path.read_text(encoding="utf-8")))


def read_article(path: Path, config: IngestConfig) -> Article:
    """Read one ``.txt``, ``.html`` or ``.htm`` article, decode it and clean it.

    Raises:
        IngestError: the file is binary, in no candidate encoding, larger than allowed, or has no text.
    """
    size = path.stat().st_size
    if size > config.max_bytes:
        raise IngestError(f"{path}: {size:,} bytes, above the limit of {config.max_bytes:,} (ingest.max_bytes)")
    return bytes_article(path.read_bytes(), path.stem, str(path), config, html=path.suffix.lower() in HTML_SUFFIXES)


HTML_SUFFIXES = (".html", ".htm")

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")


def bytes_article(data: bytes, doc_id: str, label: str, config: IngestConfig, html: bool = False) -> Article:
    """An article from raw bytes: decoded (encoding kept in the metadata), then cleaned; ``label`` names the input."""
    declared = _declared_charset(data) if html else None
    raw, encoding = decode_bytes(data, label, config.encodings, declared)
    if html:
        article = html_article(raw, doc_id, label, config)
    else:
        _check_length(raw, label, config)
        article = clean_article(raw, doc_id=doc_id, drop_boilerplate=config.drop_boilerplate)
    article.metadata.encoding = encoding
    article.metadata.source_path = label
    _require_text(article, raw, label)
    return article


def _require_text(article: Article, raw: str, label: str) -> None:
    """An input with nothing to extract is a failure of the batch, not a silent empty document."""
    if article.text.strip():
        return
    reason = "the input is empty or only whitespace" if not raw.strip() else \
        "nothing is left once page furniture is removed"
    raise IngestError(f"{label}: no article text ({reason})")


def decode_bytes(data: bytes, label: str, encodings: Sequence[str] = ("utf_8", "gb18030", "big5"),
                 declared: str | None = None) -> tuple[str, str]:
    """Text and codec name of raw bytes: a BOM, strict UTF-8, a declared charset, then detection.

    Raises:
        IngestError: binary data, or bytes that no candidate encoding decodes strictly
            (a truncated GBK file ends inside a character).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, label), codec
    if b"\x00" in data[:4096]:
        raise IngestError(f"{label}: binary file (NUL bytes), not a text article (UTF-16 and UTF-32 need a BOM)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if declared:
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for inputs that are not UTF-8

    match = from_bytes(data, cp_isolation=list(encodings)).best()
    if match is None:
        for codec in encodings:
            try:
                data.decode(codec)
            except UnicodeDecodeError as err:
                if err.start >= len(data) - 3 and err.reason.startswith(("incomplete", "unexpected end")):
                    raise IngestError(f"{label}: {codecs.lookup(codec).name} text cut inside a character at offset "
                                      f"{err.start} of {len(data)} (truncated file?)") from err
            except LookupError:
                continue
        bad = data[utf8_error.start]
        raise IngestError(f"{label}: not text in any of {', '.join(encodings)} (as UTF-8: undecodable byte "
                          f"0x{bad:02x} at offset {utf8_error.start}); set ingest.encodings")
    return _strict(data, match.encoding, label), codecs.lookup(match.encoding).name


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise IngestError(f"{label}: looks like {codecs.lookup(codec).name} but byte 0x{data[err.start]:02x} at offset "
                          f"{err.start} of {len(data)} is not valid there (truncated or corrupt file?)") from err


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _check_length(text: str, label: str, config: IngestConfig) -> None:
    if len(text) > config.max_chars:
        raise IngestError(f"{label}: {len(text):,} characters, above the limit of {config.max_chars:,} "
                          "(ingest.max_chars)")


def scrub(text: str) -> tuple[str, int]:
    """Lone surrogates (from JSON escapes such as ``\\ud800``) replaced by U+FFFD, which UTF-8 can hold."""
    return _SURROGATE.subn("\ufffd", text)


def html_article(html: str, doc_id: str, label: str, config: IngestConfig) -> Article:
    """The main text of a web page (trafilatura), cleaned, with the page's title, date, outlet and address."""
    import trafilatura  # noqa: PLC0415 - heavy, and only HTML inputs need it

    html, replaced = scrub(html)
    # a Document (a dict only with the deprecated as_dict=True, which the annotation does not tell apart)
    page = cast("Page | None", trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True,
                                                           include_comments=False, include_tables=False))
    text = (page.text or "") if page is not None else ""
    _check_length(text, label, config)
    article = clean_article(text, doc_id=doc_id, drop_boilerplate=config.drop_boilerplate)
    if page is not None:
        meta = article.metadata
        meta.title = page.title or meta.title
        meta.date = meta.date or _iso_date(page.date)
        meta.source = meta.source or page.sitename
        meta.author = meta.author or page.author
        meta.url = page.url
    if page is None or not text.strip():
        article.warnings.append("no main text found in the HTML page")
    if replaced:
        article.warnings.append(f"{replaced} lone surrogate code points replaced by U+FFFD")
    return article


def record_article(record: Mapping[str, object], doc_id: str, label: str, config: IngestConfig) -> Article:
    """An article from a JSON record whose field names come from ``config`` (text, title, date, url).

    Raises:
        IngestError: the record has no string text field, or it is too long or empty.
    """
    text = record.get(config.text_field)
    if not isinstance(text, str):
        raise IngestError(f"{label}: no string field {config.text_field!r} in the record (fields: "
                          f"{', '.join(map(str, list(record)[:10])) or 'none'}); set ingest.text_field or --text-field")
    text, replaced = scrub(text)
    _check_length(text, label, config)
    article = clean_article(text, doc_id=doc_id, drop_boilerplate=config.drop_boilerplate)
    meta = article.metadata
    title, date, url = (_field(record, name) for name in (config.title_field, config.date_field, config.url_field))
    meta.title = title or meta.title
    meta.date = _iso_date(date) or meta.date
    meta.url = url
    if replaced:
        article.warnings.append(f"{replaced} lone surrogate code points replaced by U+FFFD")
    _require_text(article, text, label)
    return article


def _field(record: Mapping[str, object], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    return scrub(str(value))[0].strip() or None


def _iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD of the first real calendar date in ``value``, else None."""
    match = _DATE.search(value or "")
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat() if match else None
    except ValueError:
        return None


def clean_article(raw: str, doc_id: str, drop_boilerplate: bool = True) -> Article:
    """Split a raw page text into article text and metadata."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    metadata = Metadata()
    warnings: list[str] = []
    if not raw.strip():
        warnings.append("empty document")
        return Article(doc_id, "", metadata, warnings)
    lines = raw.split("\n")
    kept: list[str] = []
    body_started = False
    for line in lines:
        stripped = line.strip(" \t　\u00a0")
        if load_boilerplate().tail_marker.match(stripped) and body_started:
            break
        if _collect_metadata(stripped, metadata):
            continue
        if drop_boilerplate and _is_boilerplate(stripped, body_started):
            continue
        if _is_body_line(stripped):
            body_started = True
        if metadata.title is None and not body_started and _looks_like_title(stripped):
            metadata.title = stripped
        kept.append(line.rstrip())
    text = "\n".join(kept).strip("\n")
    if not text.strip():
        warnings.append("no article text left after removing boilerplate")
    return Article(doc_id, text, metadata, warnings)


def _collect_metadata(line: str, metadata: Metadata) -> bool:
    """Fill metadata from a header/footer line; True when the line is only metadata."""
    if not line:
        return False
    is_meta = bool(load_boilerplate().meta_line.match(line))
    short_stamp = len(line) <= 60 and _TIMESTAMP_LINE.search(line) and not _SENTENCE_PUNCT.search(
        _TIMESTAMP_LINE.sub("", line).replace(":", "").replace("：", ""))
    page = load_boilerplate()
    has_fields = bool(page.source.search(line) or page.editor.search(line)) and len(line) <= 120
    if not (is_meta or short_stamp or has_fields):
        return False
    if metadata.date is None and (m := _DATE.search(line)):
        metadata.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if metadata.source is None and (m := load_boilerplate().source.search(line)):
        metadata.source = m[1]
    if metadata.editor is None and (m := load_boilerplate().editor.search(line)):
        metadata.editor = m[1]
    if metadata.author is None and (m := load_boilerplate().author.search(line)) and m[1].strip():
        metadata.author = re.sub(r"\s+", " ", m[1]).strip()
    if short_stamp and metadata.source is None:
        outlet = _TIMESTAMP_LINE.split(line)[0].strip()
        if 2 <= len(outlet) <= 20 and not _SENTENCE_PUNCT.search(outlet):
            metadata.source = outlet
    return True


def _is_boilerplate(line: str, body_started: bool) -> bool:
    if not line:
        return False
    if load_boilerplate().footer.search(line) and len(line) <= 200:
        return True
    if len(line) <= 40 and load_boilerplate().page_tools.search(line) and not re.search(r"[。！？，,“”]", line):
        return True
    if _BREADCRUMB.search(line) and len(line) <= 80 and not re.search(r"[。！？]", line):
        return True
    if line.endswith("出品") and len(line) <= 20:
        return True
    if not body_started and _is_menu(line):
        return True
    return False


def _is_menu(line: str) -> bool:
    """Site menus: short lines, or runs of short space-separated items, before the article."""
    if _SENTENCE_PUNCT.search(line):
        return False
    items = line.split()
    if len(items) >= 3 and all(len(item) <= 8 for item in items):
        return True
    return len(line) <= 6


def _is_body_line(line: str) -> bool:
    return len(line) >= 40 and bool(re.search(r"[。！？!?]", line))


def _looks_like_title(line: str) -> bool:
    return 6 <= len(line) <= 100 and not line.startswith(("——", "--")) and not re.search(r"[。！？]$", line)
