"""The wheel carries the theme and the skeleton, and works with no checkout; the example
GitHub Pages workflow is a workflow.

Building the wheel runs ``python -m build --wheel``. In CI (or with ``RGSITE_WHEEL_VENV=1``)
the wheel is also installed into a fresh virtual environment and used from a folder
outside this repository: ``rgsite init`` then ``rgsite build`` and ``rgsite check``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import in_ci

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github/workflows/pages.yml"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    (found,) = out.glob("rgsite-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_the_theme_and_the_skeleton(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"rgsite/theme/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    expected |= {
        f"rgsite/theme/static/{p.relative_to(ROOT / 'static').as_posix()}"
        for p in (ROOT / "static").rglob("*")
        if p.is_file()
    }
    skeleton = ROOT / "src/rgsite/authoring/skeleton"
    expected |= {
        f"rgsite/authoring/skeleton/{p.relative_to(skeleton).as_posix()}"
        for p in skeleton.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "rgsite/theme/templates/base.html" in expected
    assert "rgsite/authoring/skeleton/content/site.yaml" in expected
    assert "rgsite/authoring/skeleton/gitignore" in expected
    locales = ROOT / "src/rgsite/i18n/locales"
    expected |= {f"rgsite/i18n/locales/{p.name}" for p in locales.iterdir() if p.is_file()}
    assert {"rgsite/i18n/locales/de.po", "rgsite/i18n/locales/messages.pot"} <= expected
    assert expected <= names, sorted(expected - names)
    assert "rgsite/cli.py" in names
    assert not [n for n in names if n.startswith(("tests/", "content/"))]


def _venv_wanted() -> bool:
    return in_ci() or os.environ.get("RGSITE_WHEEL_VENV", "") not in ("", "0")


@pytest.mark.slow
def test_init_and_build_from_the_wheel_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    if not _venv_wanted():
        pytest.skip("installs into a fresh venv; runs in CI or with RGSITE_WHEEL_VENV=1")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    pip = [
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, str(wheel)], check=True, env=env, timeout=900, stdin=subprocess.DEVNULL)
    work = tmp_path / "elsewhere"
    work.mkdir()

    def rgsite(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "rgsite"), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )

    made = rgsite("init", "mygroup", "--timezone", "Europe/London", cwd=work)
    assert made.returncode == 0, made.stderr
    site = work / "mygroup"
    built = rgsite("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert re.search(r"built \d+ pages", built.stdout)
    home = (site / "_site/index.html").read_text()
    assert "First meeting" in home
    assert any((site / "_site/css").glob("site.*.css"))  # the theme came from the wheel
    yaml = site / "content/site.yaml"
    yaml.write_text(yaml.read_text().replace("language: en", "language: de"))
    built = rgsite("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert "Nächste Sitzung" in (site / "_site/index.html").read_text()  # catalogs in the wheel
    checked = rgsite("check", cwd=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # It really ran from the venv, not from this checkout.
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import rgsite; print(rgsite.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in where and str(ROOT / "src") not in where


# -- the example GitHub Pages workflow ---------------------------------------------------


def _workflow() -> dict[object, object]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def test_the_pages_workflow_builds_with_the_subpath_and_uploads_site() -> None:
    data = _workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare 'on' as true
    assert isinstance(triggers, dict) and "push" in triggers
    permissions = data["permissions"]
    assert isinstance(permissions, dict)
    assert permissions["pages"] == "write" and permissions["id-token"] == "write"
    jobs = data["jobs"]
    assert isinstance(jobs, dict)
    steps = jobs["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    build = next(i for i, r in enumerate(runs) if r.startswith("rgsite build"))
    assert install < build
    assert "--base-url" in runs[build] and "steps.pages.outputs.base_url" in runs[build]
    upload = next(
        s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "_site"
    assert steps.index(upload) > build
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_the_readme_shows_the_workflow_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "## Publishing" in readme
    body = WORKFLOW.read_text()
    shown = body.replace("run: pip install .\n", "run: pip install rgsite\n")
    assert shown.split("name: Publish the site", 1)[1] in readme
