import pytest

from pipeline.config import NormalizeConfig
from pipeline.text.normalize import Normalizer


@pytest.mark.parametrize("original, simplified", [
    ("中共筠連縣委書記", "中共筠连县委书记"),
    ("開展“開放、擔當、創新”解放思想大討論活動", "开展“开放、担当、创新”解放思想大讨论活动"),
    ("青龍街道黨工委", "青龙街道党工委"),
])
def test_normalize_simplifies_and_keeps_length(original, simplified):
    normalizer = Normalizer(NormalizeConfig())
    out = normalizer.to_simplified(original)
    assert out == simplified
    assert len(normalizer(original)) == len(original)


def test_normalize_folds_full_width_without_moving_offsets():
    text = "２０２０年，市委提出："
    out = Normalizer(NormalizeConfig())(text)
    assert out.startswith("2020年,") and len(out) == len(text)


def test_normalize_reports_script():
    normalizer = Normalizer(NormalizeConfig())
    assert normalizer.script_of("縣委書記強調，全縣幹部要紮實工作") == "traditional"
    assert normalizer.script_of("县委书记强调，全县干部要扎实工作") == "simplified"
