"""The non-name word table: its matcher, its contents, its use at the left edge of ORG and PLACE names."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from pipeline.cli import app
from pipeline.doc import mentions
from pipeline.extractor import build_nlp
from pipeline.ner.boundaries import NonNameWords, load_non_name_words, read_word_list
from pipeline.train.boundaries import BoundaryTableConfig, select_words, word_stats
from pipeline.train.corpora import read_peoples_daily

RESOURCES = ROOT / "pipeline" / "resources"


@pytest.fixture(scope="module")
def rules_nlp(rules_config):
    return build_nlp(rules_config)


def found(nlp, text: str, label: str) -> set[str]:
    return {m.text for m in mentions(nlp(text), label)}


def test_matcher_takes_longest_words_and_passes_name_words_and_known_names():
    table = NonNameWords(frozenset({"到", "进入", "才"}), frozenset({"人才"}))
    text = "他进入人才市场后到禾川集团"
    assert table.last_end(text, 0, text.index("集团")) == text.index("禾川")
    assert table.last_end("人才服务中心", 0, 4) == 0  # 才 inside 人才 ends nothing
    assert table.last_end("到才", 0, 2, names={1: 1}) == 1  # a known name is passed whole
    assert table.last_end("禾川", 0, 2) == 0


def test_shipped_table_has_function_words_but_not_words_of_bureau_names():
    table = load_non_name_words()
    assert set("的对就到已为在") | {"今年", "以来", "当前", "进入", "感谢"} <= table.words
    assert not {"管理", "建设", "发展", "监督", "执法", "服务", "改革", "和", "与", "前进"} & table.words
    assert {"人才", "数据"} <= table.name_words


def test_selection_counts_tags_and_names(tmp_path):
    corpus = tmp_path / "pd.txt"
    corpus.write_text(
        "19980101-01-001-001/m  他/r  已/d  进入/v  [禾川/ns  发展/vn  公司/n]nt  。/w\n" * 5, encoding="utf-8")
    stats, sentences = word_stats(read_peoples_daily(corpus))
    config = BoundaryTableConfig(max_in_name=1)
    assert sentences == 5
    assert select_words(stats, {"禾川进入中心"}, {}, config) == ["他", "已"]  # 进入 is seen in a name
    assert select_words(stats, set(), {}, config) == ["他", "已", "进入"]


@pytest.mark.parametrize("text, expected", [
    ("市交通局局长带队到禾川集团调研。", "禾川集团"),
    ("双方就当前禾川集团的改革交换意见。", "禾川集团"),
    ("上月王某进入青苗公司工作。", "青苗公司"),
    ("县领导专程走访禾川集团。", "禾川集团"),
])
def test_org_name_starts_after_the_last_non_name_word(rules_nlp, text, expected):
    orgs = found(rules_nlp, text, "ORG")
    assert expected in orgs and not any(name != expected and name.endswith(expected) for name in orgs), orgs


@pytest.mark.parametrize("text", [
    "今年以来公司效益稳步提升。",
    "县里的干部对学校十分关心。",
    "他们已经来到医院看望病人。",
    "全体党员发挥中心作用。",
])
def test_org_heads_after_non_name_words_alone_are_no_names(rules_nlp, text):
    assert found(rules_nlp, text, "ORG") == set()


@pytest.mark.parametrize("text, whole", [
    ("青禾县市场监督管理局开展专项检查。", "市场监督管理局"),
    ("岚州市住房和城乡建设局发布通知。", "住房和城乡建设局"),
    ("某某县发展和改革委员会召开会议。", "发展和改革委员会"),
    ("青禾县便民服务中心正式运行。", "便民服务中心"),
    ("青禾县人才服务中心举办招聘会。", "人才服务中心"),
    ("青禾县大数据发展管理局挂牌。", "大数据发展管理局"),
    ("青禾县就业服务中心开展培训。", "就业服务中心"),
    ("青禾县疾病预防控制中心派出专家。", "疾病预防控制中心"),
    ("青禾县综合行政执法局整治占道经营。", "综合行政执法局"),
])
def test_names_with_verbal_words_stay_whole(rules_nlp, text, whole):
    orgs = found(rules_nlp, text, "ORG")
    assert any(name.endswith(whole) for name in orgs), orgs


@pytest.mark.parametrize("text", [
    "我们要感谢村党支部书记的付出。",
    "大家都欢迎到村里来的年轻人。",
    "他们打破社区之间的界限。",
    "目前新区建设正在加快。",
])
def test_unit_suffixes_after_non_name_words_are_no_places(rules_nlp, text):
    assert found(rules_nlp, text, "PLACE") == set()


@pytest.mark.parametrize("text, expected", [
    ("他来到城关镇前进村调研。", "前进村"),
    ("城关镇富民社区开展活动。", "富民社区"),
])
def test_villages_named_like_verbs_are_kept(rules_nlp, text, expected):
    assert expected in found(rules_nlp, text, "PLACE")


def test_train_boundaries_rebuilds_the_shipped_table(tmp_path):
    out = tmp_path / "non_name_words.txt"
    result = CliRunner().invoke(app, ["train", "boundaries", "--data", str(SHARED / "data"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "MSRA dev-slice ORG left edges" in result.output
    for name in ("non_name_words.txt", "name_words.txt", "surname_words.txt", "common_nouns.txt", "idioms.txt"):
        shipped = (RESOURCES / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == shipped
        assert shipped.startswith("# ") and "People's Daily 1998" in shipped
        assert read_word_list(shipped.splitlines())
