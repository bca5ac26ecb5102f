from pathlib import Path

import pytest

from pipeline.config import IngestConfig
from pipeline.text.ingest import IngestError, clean_article, read_article

PAGE = """首页 > 新闻中心 > 县区动态
网聚本地人
某县召开全县经济工作会议
2021-03-05 10:20 来源：某县融媒体中心 作者：通讯员 王晓明
会议指出，今年要坚持稳中求进工作总基调，推动经济社会高质量发展，确保各项目标任务全面完成。
分享到： 打印 关闭窗口
责任编辑：李丽
相关新闻
另一篇无关的报道标题
Copyright © 2021 某县人民政府 版权所有
"""


def test_ingest_drops_boilerplate_and_keeps_metadata():
    article = clean_article(PAGE, "a")
    assert "会议指出" in article.text
    for junk in ("首页", "打印", "责任编辑", "相关新闻", "另一篇", "版权所有", "来源"):
        assert junk not in article.text
    meta = article.metadata
    assert meta.date == "2021-03-05"
    assert meta.source == "某县融媒体中心"
    assert meta.editor == "李丽"
    assert meta.author and "王晓明" in meta.author
    assert meta.title == "某县召开全县经济工作会议"


def test_ingest_empty_document_is_valid_with_warning():
    article = clean_article("  \n\t\n", "empty")
    assert article.text == ""
    assert article.warnings == ["empty document"]


@pytest.mark.parametrize("payload, problem", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("县委书记主持召开常委会会议".encode("gbk")[:-1], "offset"),  # GBK cut inside its last character
])
def test_ingest_bad_bytes_name_the_file(tmp_path: Path, payload: bytes, problem: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(IngestError) as err:
        read_article(path, IngestConfig())
    assert str(path) in str(err.value) and problem in str(err.value)


def test_ingest_rejects_oversized_document(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("县" * 200, encoding="utf-8")
    with pytest.raises(IngestError, match="limit"):
        read_article(path, IngestConfig(max_chars=100))


def test_ingest_accepts_utf8_bom(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff镇党委书记张明说。".encode())
    assert read_article(path, IngestConfig()).text.startswith("镇党委书记")
