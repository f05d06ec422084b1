"""Every verb has help, an example, and a README section."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("verb", sorted(main.commands))
def test_verb_has_help_with_example(verb):
    result = CliRunner().invoke(main, [verb, "--help"])
    assert result.exit_code == 0
    assert "Example: jixiao " + verb in result.output


@pytest.mark.parametrize("verb", sorted(main.commands))
def test_verb_is_documented_in_readme(verb):
    assert f"### {verb}" in README
    assert f"jixiao {verb}" in README
