"""The apps' import contracts (pyproject.toml, docs/decisions/app-layers.md) hold: a new
import from a lower app to a higher one, or from the product to the lab, fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@pytest.mark.parametrize(
    "contract",
    ["layers", "foundation", "content-not-feeds", "lab-out-of-product", "no-test-tools"],
)
def test_the_apps_keep_their_import_contract(contract, capsys):
    exit_code = lint_imports(
        config_filename=str(PYPROJECT), limit_to_contracts=(contract,), no_cache=True, no_logo=True
    )
    report = capsys.readouterr().out
    assert exit_code == 0, f"import contract {contract!r} broken:\n{report}"
