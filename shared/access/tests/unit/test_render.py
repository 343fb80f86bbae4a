"""The renderer writes YAML that reads back as the objects it was given, and `--check` fails on a
stale or missing file without writing it."""

from __future__ import annotations

from pathlib import Path

import yaml

from xrpbot.access.manifests import broker_objects, roles_patch
from xrpbot.access.render import files, main, to_yaml


def test_yaml_reads_back_as_the_objects() -> None:
    tricky = {
        "plain": "xrpbot-gateway",
        "regex": r"^(gateway\..*|xrpbot\.dead\-letter)$",
        "hash": "^(\\#)$",
        "words": ["yes", "on", "null", "", "a: b", "# not a comment", "/"],
        "numbers": [-1, 0, True, False],
        "empty": {"map": {}, "list": []},
        "nested": [{"a": [{"b": "c"}], "d": {"e": "f"}}],
    }
    documents = [tricky, *broker_objects("transfer"), roles_patch()]
    assert list(yaml.safe_load_all(to_yaml(documents))) == documents


def test_check_fails_on_a_stale_file_and_writes_nothing(tmp_path: Path) -> None:
    assert main(["render", "--check", "--root", str(tmp_path)]) == 1
    assert not any(tmp_path.iterdir())
    assert main(["render", "--root", str(tmp_path)]) == 0
    assert main(["render", "--check", "--root", str(tmp_path)]) == 0
    first = next(iter(files()))
    (tmp_path / first).write_text("edited by hand\n")
    assert main(["render", "--check", "--root", str(tmp_path)]) == 1
    assert (tmp_path / first).read_text() == "edited by hand\n"
