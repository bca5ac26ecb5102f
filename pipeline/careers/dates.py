"""Dates of posts: the document's date, and a date written with a post (2019年，韩某当选为村党支部书记).

Dates are ISO 8601 strings of the precision the text gives: ``2023-05-12``, ``2019-05`` or ``2019``; such
strings sort in time order. A small grammar reads them, so no parser library loads per document:

- a full date: ``2023年5月12日``, ``2023-05-12``, ``2023/5/12``, ``2023.5.12``; years as digits or as
  Chinese numerals (二〇二三年);
- with a post: the nearest ``YYYY年[M月[D日]]`` before it in its sentence (not a target: 到2025年), or
  今年, 去年, 前年 counted from the document's year.
"""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})"
_FULL_DATE = re.compile(_YEAR + r"\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))")
_STATED = re.compile(_YEAR + r"年(?:(\d{1,2})月(?:(\d{1,2})日)?)?|(今年|去年|前年)")
_RELATIVE = {"今年": 0, "去年": -1, "前年": -2}
_TARGET = ("到",)  # 到2025年 is a goal; 2015年至2018年 keeps the nearer year, 2018
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TOP = 300  # characters at the top of an article where its own date is looked for


def document_date(metadata_date: str | None, text: str) -> str | None:
    """The document's date: the metadata date when it is one, else the first full date in the first
    :data:`TOP` characters of the text (a dateline or a 发布时间 line), else None."""
    if metadata_date:
        m = _ISO.match(metadata_date)
        if m and _valid(*map(int, m.groups())):
            return m.group()
    for m in _FULL_DATE.finditer(text, 0, min(len(text), TOP)):
        year = int(m.group(1).translate(_DIGITS))
        month, day = int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def stated_date(text: str, sentence_start: int, at: int, document: str | None) -> str | None:
    """The date written nearest before ``at`` in its sentence, as precise as written; None when none is."""
    found = None
    for m in _STATED.finditer(text, sentence_start, at):
        if m.start() > 0 and text[m.start() - 1] in _TARGET:
            continue
        found = m
    if found is None:
        return None
    if found.group(4):
        if not document:
            return None
        return f"{int(document[:4]) + _RELATIVE[found.group(4)]:04d}"
    year = int(found.group(1).translate(_DIGITS))
    month, day = found.group(2), found.group(3)
    if month and day and _valid(year, int(month), int(day)):
        return f"{year:04d}-{int(month):02d}-{int(day):02d}"
    if month and 1 <= int(month) <= 12:
        return f"{year:04d}-{int(month):02d}"
    return f"{year:04d}"


def as_of(stated: str | None, document: str | None) -> str | None:
    """The date a post is known at: the date written with it, unless the document's date says the same
    more precisely (a 2023 article's 2023年 keeps the article's day); else the document's date."""
    if stated is None or (document is not None and document.startswith(stated)):
        return document
    return stated


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100
