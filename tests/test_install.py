"""The program installs as a package: the wheel built from this tree, installed (not editable)
in a fresh virtual environment, runs on its own — ``psa banks``, a template scored, the app's
health check and its start page — with nothing of the repository on its path.

Marked ``install`` (``pytest -m install``); it takes one to two minutes, most of it pip
installing the dependencies from the package index (pip's cache makes later runs faster).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assessment", "scoring", "charts", "app_pages", "questions", "locales")
BANK = "nationell-handlingsplan-2025"

pytestmark = pytest.mark.install


def run(*args, cwd: Path, env: dict | None = None, timeout: float = 600,
        check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def clean_env(home: Path) -> dict:
    """The environment of a user of the installed program: no PYTHONPATH, no bank folder."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PSA_BANK_DIR", "PSA_DATABASE_URL", "VIRTUAL_ENV")}
    env["PSA_DB_PATH"] = str(home / "psa.sqlite3")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel built from a copy of this tree (so the build leaves nothing in it) and
    installed with its dependencies in a new venv."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in PACKAGES:
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = base / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source, cwd=base)
    wheel = next(dist.glob("*.whl"))
    venv = base / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=base)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--no-compile", "--disable-pip-version-check",
        wheel, cwd=base)
    home = base / "user"  # where the user works: not the repository
    home.mkdir()
    return {"wheel": wheel, "venv": venv, "python": python, "bin": venv / "bin", "home": home,
            "env": clean_env(home)}


def test_wheel__holds_every_bank_locale_answer_sheet_asset_and_the_example(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    expected = {f"questions/{p.name}" for p in (ROOT / "questions").glob("*.y*ml")}
    expected |= {f"locales/{p.name}" for p in (ROOT / "locales").glob("*.yaml")}
    expected |= {f"questions/demo/{p.name}" for p in (ROOT / "questions" / "demo").glob("*.json")}
    expected |= {f"app_pages/assets/{p.name}" for p in (ROOT / "app_pages" / "assets").iterdir()}
    assert {"questions/nationell-handlingsplan-2025.yaml", "locales/sv.yaml",
            "app_pages/assets/answer_sheet.js", "questions/demo/exempelby.json"} <= expected
    assert expected <= names, sorted(expected - names)


def test_installed__imports_from_the_venv_not_the_repository(installed):
    code = ("import assessment, questions, locales, app_pages; "
            "print('\\n'.join(m.__file__ for m in (assessment, questions, locales, app_pages)))")
    done = run(installed["python"], "-c", code, cwd=installed["home"], env=installed["env"])
    for line in done.stdout.split():
        assert Path(line).is_relative_to(installed["venv"]), line


def test_installed__example_assessment_reads_from_the_installed_package(installed):
    code = ("from assessment.demo import demo_assessment; a = demo_assessment(); "
            "print(a.organisation.name, len(a.participants), len(a.answers))")
    done = run(installed["python"], "-c", code, cwd=installed["home"], env=installed["env"])
    assert done.stdout.split() == ["Exempelby", "kommun", "(exempel)", "5", "295"], done.stdout


def test_installed__new_database_built_by_the_revisions_shipped_in_the_package(installed):
    """Opening a store runs the Alembic revisions installed with the program: no alembic.ini,
    nothing of the repository."""
    shipped = sorted(p.name for p in (ROOT / "assessment/storage/revisions/versions").glob(
        "[0-9]*.py"))
    db = installed["home"] / "migrated.sqlite3"
    env = {**installed["env"], "PSA_DB_PATH": str(db)}
    code = ("from assessment.storage import Store\n"
            "from assessment.storage.migrations import scripts\n"
            "Store().close()\n"
            "print(scripts().versions)\n")
    done = run(installed["python"], "-c", code, cwd=installed["home"], env=env)
    assert Path(done.stdout.strip()).is_relative_to(installed["venv"]), done.stdout
    with sqlite3.connect(db) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert revision == shipped[-1].split("_", 1)[0]
    assert {"assessments", "answers", "workspaces", "schema_info"} <= tables
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {f"assessment/storage/revisions/versions/{n}" for n in shipped} | {
        "assessment/storage/revisions/env.py",
        "assessment/storage/revisions/script.py.mako"} <= names


def test_installed_psa__banks_lists_the_built_in_banks(installed):
    done = run(installed["bin"] / "psa", "banks", cwd=installed["home"], env=installed["env"])
    ids = [line.split()[0] for line in done.stdout.splitlines()[1:]]
    assert ids == ["kommunenkat-2023", BANK], done.stdout
    assert done.stderr == ""


def test_installed_psa__template_then_score(installed):
    home, env, psa = installed["home"], installed["env"], installed["bin"] / "psa"
    (home / "t.json").unlink(missing_ok=True)
    run(psa, "template", BANK, "--out", "t.json", cwd=home, env=env)
    done = run(psa, "score", "t.json", "--json", cwd=home, env=env)
    result = json.loads(done.stdout)["assessments"][0]
    assert result["bank"]["id"] == BANK
    assert len(result["areas"]) == 9
    text = run(psa, "score", "t.json", cwd=home, env=env).stdout  # the Swedish words, from locales
    assert "Totalt" in text and "Prioriteringar" in text, text


def test_installed_app__health_check_and_start_page(installed):
    """``streamlit run`` of the repository's app.py (copied out with its page scripts, so the
    packages can only come from the install) answers /_stcore/health; the start page runs
    without an exception and the answer sheet's assets load."""
    app = installed["home"] / "app"
    app.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "app.py", app / "app.py")
    shutil.copytree(ROOT / "views", app / "views", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [installed["bin"] / "streamlit", "run", app / "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=installed["home"], env=installed["env"], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        body, deadline = None, time.monotonic() + 90
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=5) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert body == "ok", f"no health answer; server exit {server.poll()}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    check = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(sys.argv[1], default_timeout=60).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "print(at.title[0].value)\n"
        "import app_pages.answer_sheet as sheet\n"
        "print(len((sheet.ASSETS / 'answer_sheet.js').read_text(encoding='utf-8')))\n"
    )
    done = run(installed["python"], "-c", check, app / "app.py", cwd=installed["home"],
               env=installed["env"], timeout=180)
    title, js_length = done.stdout.split("\n")[:2]
    assert title.startswith("Självskattning"), done.stdout
    assert int(js_length) > 1000


def test_installed__built_in_banks_removed__psa_says_so(installed):
    """A missing built-in bank is an error, not an empty list (runs last: it breaks the
    install)."""
    site = Path(run(installed["python"], "-c", "import questions; print(questions.__file__)",
                    cwd=installed["home"], env=installed["env"]).stdout.strip()).parent
    for bank in site.glob("*.yaml"):
        bank.unlink()
    done = run(installed["bin"] / "psa", "banks", cwd=installed["home"], env=installed["env"],
               check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "built-in question banks are missing" in done.stderr
    assert "reinstall the program" in done.stderr
