"""Ingest: read an article file, decode it, strip web boilerplate, keep its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import IngestConfig
from .schema import Metadata


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
_SOURCE = re.compile(r"(?:来源|來源|稿源)" + _FIELD + r"([^\s　|]+)")
_AUTHOR = re.compile(r"(?:作者|记者|記者|通讯员|通訊員|文/图|文)" + _FIELD + r"((?:通讯员|通訊員|记者|記者)?\s*[^|]*?)\s*(?=$|来源|來源|编辑|編輯|时间|時間)")
_EDITOR = re.compile(r"(?:责任编辑|責任編輯|编辑|編輯)" + _FIELD + r"([^\s　|]+)")
_META_LINE = re.compile(r"^(?:[•·\-\s]*)(?:来源|來源|稿源|作者|记者|記者|通讯员|通訊員|责任编辑|責任編輯|编辑|編輯|时间|時間|发布时间|發布時間|供稿)" + _FIELD)
_TIMESTAMP_LINE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?")
_PAGE_TOOLS = re.compile(r"(大字|中字|小字|字号|打印|收藏|举报|分享|关闭窗口|返回顶部|【[大中小]】)")
_TAIL_MARKERS = re.compile(r"^\s*(新闻推荐|相关新闻|相关阅读|相关链接|延伸阅读|推荐阅读|热点推荐|猜你喜欢|上一篇|下一篇)\s*[:：]?\s*$")
_FOOTER = re.compile(r"(版权所有|Copyright|©|ICP备|ICP證|联系我们|网站地图|关于我们|免责声明|-->|<!--)", re.I)
_BREADCRUMB = re.compile(r"\S\s*[>＞»]\s*\S")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,：:“”]")


def read_article(path: Path, config: IngestConfig) -> Article:
    """Read one ``.txt`` article and clean it.

    Raises:
        IngestError: the file is binary, not UTF-8, or larger than allowed.
    """
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path}: binary file (NUL bytes), not a text article")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{path}: not UTF-8 text (undecodable byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from err
    if len(raw) > config.max_chars:
        raise IngestError(f"{path}: {len(raw):,} characters, above the limit of {config.max_chars:,} (ingest.max_chars)")
    article = clean_article(raw, doc_id=path.stem, drop_boilerplate=config.drop_boilerplate)
    article.metadata.source_path = str(path)
    return article


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
        if _TAIL_MARKERS.match(stripped) and body_started:
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
    is_meta = bool(_META_LINE.match(line))
    short_stamp = len(line) <= 60 and _TIMESTAMP_LINE.search(line) and not _SENTENCE_PUNCT.search(
        _TIMESTAMP_LINE.sub("", line).replace(":", "").replace("：", ""))
    has_fields = bool(_SOURCE.search(line) or _EDITOR.search(line)) and len(line) <= 120
    if not (is_meta or short_stamp or has_fields):
        return False
    if metadata.date is None and (m := _DATE.search(line)):
        metadata.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if metadata.source is None and (m := _SOURCE.search(line)):
        metadata.source = m[1]
    if metadata.editor is None and (m := _EDITOR.search(line)):
        metadata.editor = m[1]
    if metadata.author is None and (m := _AUTHOR.search(line)) and m[1].strip():
        metadata.author = re.sub(r"\s+", " ", m[1]).strip()
    if short_stamp and metadata.source is None:
        outlet = _TIMESTAMP_LINE.split(line)[0].strip()
        if 2 <= len(outlet) <= 20 and not _SENTENCE_PUNCT.search(outlet):
            metadata.source = outlet
    return True


def _is_boilerplate(line: str, body_started: bool) -> bool:
    if not line:
        return False
    if _FOOTER.search(line) and len(line) <= 200:
        return True
    if len(line) <= 40 and _PAGE_TOOLS.search(line) and not re.search(r"[。！？，,“”]", line):
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
