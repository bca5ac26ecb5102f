"""The engine registry: names, what each engine needs, and lazy loading of cluster libraries."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline.batch.engines import InProcessEngine, ProcessEngine
from pipeline.batch.registry import ENGINES, EngineRequest, engine_kind
from pipeline.cli import app
from pipeline.config import ConfigError


def build_engine(name, request):
    return engine_kind(name, request.scheduler).build(request)


def request(config, **changes):
    fields = {"workers": 4, "requested": False, "total": None} | changes
    return EngineRequest(config, **fields)


def test_an_unknown_engine_is_a_config_error_naming_the_known_ones(rules_config):
    with pytest.raises(ConfigError, match=r"spark.*local, dask"):
        build_engine("spark", request(rules_config))


def test_a_scheduler_goes_only_with_an_engine_that_uses_one(rules_config):
    with pytest.raises(ConfigError, match=r"--scheduler goes with .*dask"):
        build_engine("local", request(rules_config, scheduler="tcp://127.0.0.1:8786"))
    with pytest.raises(ConfigError, match="needs --scheduler"):
        build_engine("dask", request(rules_config))


@pytest.mark.parametrize(("total", "requested", "workers", "expected"), [
    (5, False, 4, InProcessEngine),  # too few documents to pay for starting workers
    (None, False, 4, ProcessEngine),  # an unknown number of documents: every worker
    (5, True, 4, ProcessEngine),  # a count asked for is used
    (500, False, 1, InProcessEngine),
])
def test_the_local_engine_starts_workers_only_where_they_pay(rules_config, total, requested, workers, expected):
    engine = build_engine("local", request(rules_config, total=total, requested=requested, workers=workers))
    assert type(engine) is expected


def test_a_given_pipeline_runs_in_this_process(rules_config, rules_extractor):
    engine = build_engine("local", request(rules_config, total=500, extractor=rules_extractor))
    assert isinstance(engine, InProcessEngine) and engine.extractor is rules_extractor


def test_only_engines_off_this_machine_get_input_bytes_sent():
    assert ENGINES["local"].local and not ENGINES["dask"].local


def test_the_registry_loads_no_cluster_library():
    code = "import sys, pipeline.batch.registry, pipeline.batch.run; print(any(m.split('.')[0] in ('dask', " \
           "'distributed') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_cli_lists_the_registered_engines_on_a_wrong_name():
    result = CliRunner().invoke(app, ["extract", "-", "-o", "unused", "--engine", "spark"], input=b"")
    assert result.exit_code == 2
    assert all(name in result.output for name in ENGINES)
