"""Batch inputs: encodings, HTML pages, JSON records, globs and stdin, safe and unique document ids."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.config import IngestConfig
from pipeline.batch.engines import ingest_task
from pipeline.text.ingest import IngestError, decode_bytes, read_article
from pipeline.batch.inputs import Failure, InputError, Inputs, Task, safe_id


SIMPLIFIED = "平江县三市镇党委书记刘建平主持召开镇党委会议，部署实施“归雁”行动计划。"
TRADITIONAL = "五華縣華城鎮黨委書記古文強表示，全鎮將實施「足球之鄉」振興計劃，帶動群眾增收。"


@pytest.mark.parametrize("text, codec, expected", [
    (SIMPLIFIED, "utf-8", "utf-8"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (TRADITIONAL, "big5", "big5"),
    (SIMPLIFIED, "utf-16", "utf-16"),
    (TRADITIONAL, "utf-32", "utf-32"),
])
def test_sources_decode_detects_encoding(text, codec, expected):
    decoded, name = decode_bytes(text.encode(codec), "x.txt", IngestConfig().encodings)
    assert decoded == text
    assert name == expected


@pytest.mark.parametrize("payload, problem", [
    ((SIMPLIFIED * 3).encode("gbk")[:-1], "offset"),
    (bytes(range(256)) * 8, "binary"),
])
def test_sources_decode_rejects_broken_bytes(payload, problem):
    with pytest.raises(IngestError) as err:
        decode_bytes(payload, "broken.txt", IngestConfig().encodings)
    assert "broken.txt" in str(err.value) and problem in str(err.value)


def test_sources_article_records_its_encoding(tmp_path: Path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(("某县召开全县经济工作会议\n" + SIMPLIFIED * 2).encode("gbk"))
    article = read_article(path, IngestConfig())
    assert article.metadata.encoding == "gb18030"
    assert SIMPLIFIED in article.text


PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>平江县新闻网</title>
<meta property="og:title" content="三市镇召开党委会议部署“归雁”行动计划">
<meta property="og:site_name" content="平江新闻网"><meta name="PubDate" content="2023-08-16 09:30"></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a href="/gov">政务公开</a></div>
<div class="article"><h1>三市镇召开党委会议部署“归雁”行动计划</h1>
<p>{body}</p><p>会议强调，要把人才回引作为乡村振兴的重要抓手，确保各项工作落到实处，推动全镇经济社会高质量发展。</p></div>
<div class="footer">版权所有 平江县融媒体中心 湘ICP备00000000号</div></body></html>"""


def test_sources_html_main_text_and_metadata(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(body=SIMPLIFIED * 2).encode("gbk"))
    article = read_article(path, IngestConfig())
    assert SIMPLIFIED in article.text
    assert "首页" not in article.text and "版权所有" not in article.text
    meta = article.metadata
    assert meta.encoding == "gbk"
    assert meta.title == "三市镇召开党委会议部署“归雁”行动计划"
    assert meta.date == "2023-08-16"
    assert meta.source == "平江新闻网"


def test_sources_records_use_configured_fields(tmp_path: Path):
    path = tmp_path / "crawl.jsonl"
    rows = [{"uid": 7, "content": SIMPLIFIED, "headline": "标题一", "published": "2021年3月5日", "link": "http://a/1"},
            {"uid": "x-2", "content": TRADITIONAL, "headline": None, "published": "not a date"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    config = IngestConfig(id_field="uid", text_field="content", title_field="headline", date_field="published",
                          url_field="link")
    tasks = list(Inputs([path], config))
    assert [t.doc_id for t in tasks] == ["7", "x-2"]
    first = ingest_task(tasks[0], _config_with(config))
    assert first.text == SIMPLIFIED
    assert (first.metadata.title, first.metadata.date, first.metadata.url) == ("标题一", "2021-03-05", "http://a/1")
    assert first.metadata.record_id == "7" and first.metadata.source_path == str(path)
    second = ingest_task(tasks[1], _config_with(config))
    assert second.metadata.date is None and second.metadata.url is None


@pytest.mark.parametrize("codec", ["utf-8-sig", "gbk"])
def test_sources_csv_rows_are_records(tmp_path: Path, codec):
    path = tmp_path / "export.csv"
    table = ("uid,headline,content\r\n"
             f'7,标题一,"{SIMPLIFIED}\n第二段，有逗号。"\r\n'
             f",,{SIMPLIFIED[:10]}\r\n")
    path.write_bytes(table.encode(codec))
    config = IngestConfig(id_field="uid", text_field="content", title_field="headline")
    tasks = list(Inputs([path], config))
    assert all(isinstance(t, Task) for t in tasks) and len(tasks) == 2
    assert tasks[0].doc_id == "7" and tasks[1].doc_id.startswith("sha-")
    first = ingest_task(tasks[0], _config_with(config))
    assert first.text.startswith(SIMPLIFIED) and "第二段，有逗号。" in first.text
    assert first.metadata.title == "标题一" and first.metadata.source_path == str(path)


def test_sources_records_without_id_get_content_hash_ids(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"text": SIMPLIFIED}, {"text": TRADITIONAL}, {"text": SIMPLIFIED}],
                               ensure_ascii=False), encoding="utf-8")
    items = list(Inputs([path], IngestConfig()))
    first, second, duplicate = items
    assert isinstance(first, Task) and isinstance(second, Task)
    assert first.doc_id != second.doc_id and first.doc_id.startswith("sha-")
    assert isinstance(duplicate, Failure) and "already produced" in duplicate.message


def test_sources_bad_records_fail_alone(tmp_path: Path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "x"}\nnot json\n[1, 2]\n{"id": "big", "text": "' + b"a" * 300 + b'"}\n')
    items = list(Inputs([path], IngestConfig(max_bytes=200)))
    assert [type(i).__name__ for i in items] == ["Task", "Failure", "Failure", "Failure"]
    assert "mixed.jsonl:2" in items[1].message and "JSON" in items[1].message
    assert "a JSON object" in items[2].message
    assert "ingest.max_bytes" in items[3].message


def test_sources_folders_globs_and_duplicates(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.html", "a/b/three.jsonl", "a/notes.md", "a/b/four.htm"):
        (tmp_path / name).write_text('{"id": "r", "text": "x"}\n' if name.endswith("jsonl") else "x",
                                     encoding="utf-8")
    found = [Path(p).name for p in Inputs([tmp_path / "a"], IngestConfig()).paths()]
    assert sorted(found) == ["four.htm", "one.txt", "three.jsonl", "two.html"]
    pattern = str(tmp_path / "a" / "**" / "*.htm*")
    assert sorted(Path(p).name for p in Inputs([pattern], IngestConfig()).paths()) == ["four.htm", "two.html"]
    twice = [i for i in Inputs([tmp_path / "a", tmp_path / "a" / "one.txt"], IngestConfig())]
    assert [i.doc_id for i in twice].count("one") == 1 and all(isinstance(i, Task) for i in twice)


def test_sources_case_folded_collision_is_reported(tmp_path: Path):
    for sub, name in (("x", "Report.txt"), ("y", "report.txt")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / name).write_text("x", encoding="utf-8")
    first, second = Inputs([tmp_path / "x", tmp_path / "y"], IngestConfig())
    assert isinstance(first, Task) and isinstance(second, Failure)
    assert "Report.txt" in second.message and second.path.endswith("report.txt")


def _crawl(tmp_path: Path) -> Path:
    for day in ("11", "12"):
        page = tmp_path / "crawl" / "2024" / "03" / day / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body><p>平江县三市镇党委书记刘建平{day}日主持会议。</p></body></html>",
                        encoding="utf-8")
    (tmp_path / "crawl" / "100%.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    return tmp_path / "crawl"


def test_sources_same_file_names_in_dated_folders_collide_and_the_error_says_ids_path(tmp_path: Path):
    items = list(Inputs([_crawl(tmp_path)], IngestConfig()))
    assert [type(i).__name__ for i in items] == ["Task", "Task", "Failure"]
    assert "already produced by" in items[2].message and "--ids path" in items[2].message


def test_sources_path_ids_keep_dated_pages_apart(tmp_path: Path):
    crawl = _crawl(tmp_path)
    by_folder = [i.doc_id for i in Inputs([crawl], IngestConfig(), ids="path")]
    assert by_folder == ["100%25", "2024%2F03%2F11%2Findex", "2024%2F03%2F12%2Findex"]
    by_pattern = [i.doc_id for i in Inputs([str(crawl / "2024" / "**" / "*.html")], IngestConfig(), ids="path")]
    assert by_pattern == ["03%2F11%2Findex", "03%2F12%2Findex"]
    assert [i.doc_id for i in Inputs([crawl / "100%.txt"], IngestConfig(), ids="path")] == ["100%25"]


@pytest.mark.parametrize("spec, problem", [("missing", "no such file or folder"),
                                           ("empty", "no input files"),
                                           ("empty/*.txt", "matches no input file")])
def test_sources_an_input_that_names_nothing_is_an_input_error(tmp_path: Path, spec: str, problem: str):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as caught:
        Inputs([tmp_path / "good.txt", str(tmp_path / spec)], IngestConfig()).check()
    assert str(tmp_path / spec) in str(caught.value)


HOSTILE_IDS = ["../../etc/passwd", "..", ".", "", "a/b", "a\\b", "/abs/path", "C:\\x", "\x00\x01\x1f", "CON",
               "nul.txt", "\u202egpj.exe", "a\u200bb", "x" * 1000, "县" * 300, "a\ud800b", "  ", "a..b", ".hidden",
               "line\nbreak", "😀" * 80, "e\u0301"]


@pytest.mark.parametrize("raw", HOSTILE_IDS)
def test_sources_hostile_ids_become_safe_names(raw: str, tmp_path: Path):
    name = safe_id(raw, max_length=100)
    assert name and len(name) <= 100 and len(name.encode("utf-8")) <= 180
    assert ".." not in name and not name.startswith(".") and not set(name) & set('/\\:*?"<>|')
    assert not any(unicodedata.category(c)[0] in "CZ" for c in name)
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    assert (tmp_path / f"{name}.json").resolve().parent == tmp_path.resolve()


def test_sources_distinct_hostile_ids_stay_distinct():
    names = {safe_id(raw) for raw in HOSTILE_IDS}
    assert len(names) == len(HOSTILE_IDS)


def test_sources_hostile_record_ids_write_inside_the_output(tmp_path: Path, rules_config):
    from pipeline.batch.run import run_extract

    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps({"id": raw, "text": SIMPLIFIED}) + "\n" for raw in HOSTILE_IDS),
                    encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract([path], out, rules_config)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent not in (tmp_path, out)]
    assert all(p.parent == out / "documents" and p.suffix == ".json" for p in written)
    assert summary.failures == []
    assert len(written) == summary.documents == len(HOSTILE_IDS)


def _config_with(ingest: IngestConfig):
    from pipeline.config import load_config

    config = load_config(ROOT / "config.toml")
    config.ingest = ingest
    return config
