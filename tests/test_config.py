import pytest

from pipeline.config import ConfigError, load_config
from pipeline.extractor import build_nlp

from conftest import ROOT

BASE = (ROOT / "config.toml").read_text(encoding="utf-8")


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_components_run_in_listed_order(config):
    nlp = build_nlp(config)
    assert nlp.pipe_names == config.pipeline.components


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("[ingest]", "[ingest]\nmystery = 1"), "mystery"),
    (lambda t: t.replace('"resolver"]', '"resolver", "missing"]'), "missing"),
    (lambda t: t + "\n[oops\n", "not valid TOML"),
])
def test_config_errors_name_the_problem(tmp_path, edit, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, edit(BASE)))


def test_config_unknown_component_setting_fails_at_build(tmp_path):
    config = load_config(write(tmp_path, BASE.replace("{ max_given = 2 }", "{ max_given = 2, colour = 1 }")))
    with pytest.raises(ConfigError, match="colour"):
        build_nlp(config)


def test_config_missing_pkuseg_model_says_what_to_do(tmp_path):
    text = BASE.replace('segmenter = "char"', 'segmenter = "pkuseg"')
    with pytest.raises(ConfigError, match=r"tokenize: model .*nowhere not found.*--models DIR"):
        load_config(write(tmp_path, text.replace('pkuseg_model = "models/segmenter"', 'pkuseg_model = "nowhere"')))


def test_config_relative_model_paths_are_taken_from_the_config_folder(tmp_path):
    for name in ("segmenter", "ner"):
        (tmp_path / "models" / name).mkdir(parents=True)
    config = load_config(write(tmp_path, BASE))
    assert config.tokenize.pkuseg_model == str(tmp_path / "models" / "segmenter")
    assert config.components["entities"].settings["model"] == str(tmp_path / "models" / "ner")


def test_config_elsewhere_falls_back_to_the_project_models(tmp_path):
    config = load_config(write(tmp_path, BASE))
    assert config.tokenize.pkuseg_model == str(ROOT / "models" / "segmenter")
    assert config.components["entities"].settings["model"] == str(ROOT / "models" / "ner")


def test_config_models_option_replaces_the_models_folder(tmp_path):
    (tmp_path / "mine" / "ner").mkdir(parents=True)
    config = load_config(ROOT / "config.toml", models=tmp_path / "mine")
    assert config.components["entities"].settings["model"] == str(tmp_path / "mine" / "ner")
    with pytest.raises(ConfigError, match=r"entities: model .*elsewhere/ner not found.*--models"):
        load_config(ROOT / "config.toml", models=tmp_path / "elsewhere")
