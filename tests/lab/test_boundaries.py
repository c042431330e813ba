"""The product does not depend on the lab: what measures the platform stays out of it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["accounts", "boosts", "config", "content", "demo", "feeds", "moderation", "search"]
# Test and lab tools: the product runs on requirements.txt alone, without them.
LAB_ONLY = ("lab", "time_machine", "django.test")


def imported_modules(path: Path) -> set[str]:
    """Return every module ``path`` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_product_app_imports_the_lab_or_test_tools():
    offenders = []
    for app in PRODUCT:
        for path in sorted((ROOT / app).rglob("*.py")):
            for name in imported_modules(path):
                if any(name == tool or name.startswith(tool + ".") for tool in LAB_ONLY):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_product_requirements_leave_out_the_clock_mover():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    assert "time-machine" not in runtime
    assert "time-machine==" in (ROOT / "requirements-dev.txt").read_text().lower()


def test_the_lab_commands_live_in_the_lab():
    commands = {p.stem for p in (ROOT / "lab" / "management" / "commands").glob("*.py")}
    assert {"simulate", "bench", "bench_engine"} <= commands
    assert not (ROOT / "feeds" / "simulation.py").exists()
    assert not {"simulate", "bench", "bench_engine"} & {
        p.stem for p in (ROOT / "feeds" / "management" / "commands").glob("*.py")
    }


def test_every_product_module_imports_and_checks_without_the_test_tools():
    """What `bin/run` loads works on requirements.txt alone: with time-machine and the
    simulator made unimportable, every product module imports and Django's checks pass
    (the lab app itself stays installed, so its commands are there when the tools are)."""
    script = f"""
import importlib, pkgutil, sys
sys.modules["time_machine"] = None
sys.modules["lab.simulator"] = None
import django
django.setup()
for app in {PRODUCT!r}:
    package = importlib.import_module(app)
    for info in pkgutil.walk_packages(package.__path__, app + "."):
        if ".migrations." not in info.name and not info.name.startswith("config.settings.production"):
            importlib.import_module(info.name)
from django.core.management import call_command
call_command("check")
print("imported")
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and "imported" in done.stdout, done.stderr[-2000:]
