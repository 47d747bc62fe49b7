"""The layers of docs/architecture.md hold: every import points down (or stays in its layer),
and nothing under the pages imports Streamlit.

    0 model     what an assessment and a bank are, and the texts (assessment.bank, document, …)
    1 scoring   the scoring rules, on the model only (scoring.*)
    2 charts    the charts and their tables, from scores (charts.*)
    3 I/O       files, banks on disk, the database, Excel, the report (assessment.*, the rest)
    4 apps      the command line and the pages (assessment.cli…, app.py, app_pages, views)

The test reads the import statements of every module (the source, not the running program)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assessment", "scoring", "charts", "app_pages", "views", "questions", "locales")
MODEL = {"assessment", "assessment.bank", "assessment.document", "assessment.problems",
         "assessment.i18n", "assessment.progress", "assessment.action_plan",
         "assessment.bank_upgrade", "assessment.workshop", "assessment.workshop.codes",
         "assessment.workshop.progress", "assessment.workshop.ratelimit"}
APPS = ("assessment.cli", "assessment.cli_support", "assessment.compare_cli", "assessment.__main__",
        "assessment.workspace_cli", "assessment.workshop_cli",
        "assessment.excel.cli_commands", "assessment.report.cli", "app_pages", "views", "app")
NAMES = ("model", "scoring", "charts", "I/O", "apps")


def layer(module: str) -> int:
    if module in MODEL:
        return 0
    if module.split(".")[0] == "scoring":
        return 1
    if module.split(".")[0] == "charts":
        return 2
    if any(module == a or module.startswith(a + ".") for a in APPS):
        return 4
    return 3


def modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_layers__every_import_points_down():
    upward = []
    for name, path in sorted(modules().items()):
        for target in imports(path):
            if target.split(".")[0] in PACKAGES and layer(target) > layer(name):
                upward.append(f"{name} ({NAMES[layer(name)]}) imports {target} "
                              f"({NAMES[layer(target)]})")
    assert upward == []


@pytest.mark.parametrize("package", ["assessment", "scoring", "charts"])
def test_core__never_imports_streamlit(package):
    found = [name for name, path in modules().items()
             if name.split(".")[0] == package
             and any(t.split(".")[0] == "streamlit" for t in imports(path))]
    assert found == []


def test_layers__the_test_sees_the_tree():
    """The map names real modules (a renamed one would make the check above pass silently)."""
    known = modules()
    assert MODEL - set(known) == set()
    assert {layer(n) for n in known} == {0, 1, 2, 3, 4}


# The libraries only some commands use; the command line imports them when such a command
# runs, so that every other command starts without them (benchmarks/bench_cli_start.py).
HEAVY = ("altair", "openpyxl", "sqlalchemy", "docx", "reportlab", "pandas", "msgspec",
         "streamlit")


@pytest.mark.parametrize(("argv", "imported"), [
    (["banks"], ()),
    (["bank", "show", "kommunenkat-2023"], ()),
    (["--help"], ()),
    (["workspace", "list"], ("sqlalchemy",)),
])
def test_command_line__imports_a_library_only_for_a_command_that_uses_it(argv, imported, tmp_path):
    code = ("import sys\nfrom assessment.cli import main\n"
            f"code = main({argv!r})\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PSA_DB_PATH": str(tmp_path / "psa.sqlite3")}
    env.pop("PSA_DATABASE_URL", None)
    env.pop("PSA_BANK_DIR", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == repr(sorted(imported)), done.stdout + done.stderr
