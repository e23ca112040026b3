"""The launch buttons follow one setting, ``repository: url`` in _config.yml
(book/_ext/bpkit_launch.py), and Binder's environment installs bpkit and opens pages as
notebooks. No build: the extension's hook is called on the configuration it would receive."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest
import yaml

from book_pages import REPO

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())


def launch_module():
    spec = importlib.util.spec_from_file_location("bpkit_launch", REPO / "book" / "_ext" / "bpkit_launch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def theme_options(url: str) -> dict:
    """html_theme_options as Jupyter Book 1 makes them from _config.yml, with ``url``."""
    return {"launch_buttons": dict(CONFIG["launch_buttons"]), "repository_url": url,
            "repository_branch": CONFIG["repository"]["branch"],
            "use_repository_button": CONFIG["html"]["use_repository_button"]}


def test_the_extension_is_loaded_and_colab_is_off():
    assert "bpkit_launch" in CONFIG["sphinx"]["config"]["extensions"]
    assert CONFIG["sphinx"]["local_extensions"]["bpkit_launch"] == "book/_ext"
    assert not CONFIG["launch_buttons"].get("colab_url"), "Colab cannot open the book's .md pages"
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_no_address_no_buttons():
    opts = theme_options("")
    launch_module().configure(None, SimpleNamespace(html_theme_options=opts))
    assert opts["launch_buttons"] == {} and opts["use_repository_button"] is False
    assert "repository_url" not in opts


def test_an_address_shows_the_repository_and_binder():
    opts = theme_options("https://github.com/someone/bpkit")
    launch_module().configure(None, SimpleNamespace(html_theme_options=opts))
    assert opts["use_repository_button"] is True
    assert opts["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert opts["launch_buttons"]["notebook_interface"] == "jupyterlab"
    assert not opts["launch_buttons"].get("colab_url")


def test_colab_is_refused():
    opts = theme_options("https://github.com/someone/bpkit")
    opts["launch_buttons"]["colab_url"] = "https://colab.research.google.com"
    with pytest.raises(ValueError, match="Colab"):
        launch_module().configure(None, SimpleNamespace(html_theme_options=opts))


def test_binder_installs_bpkit_and_opens_markdown_as_notebooks():
    post = (REPO / "binder" / "postBuild").read_text()
    assert 'pip install --no-cache-dir ".[all]"' in post
    assert "jupytext-config set-default-viewer markdown myst" in post
    assert (REPO / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    reqs = (REPO / "binder" / "requirements.txt").read_text()
    assert "jupytext" in reqs and "jupyterlab" in reqs


def test_make_lab_keeps_its_setting_in_the_venv():
    makefile = (REPO / "Makefile").read_text()
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "--settings-file $(VENV)/etc/jupyter/labconfig/default_setting_overrides.json" in lab
    assert "~/.jupyter" not in lab.replace("never into ~/.jupyter", "")


def test_the_publishing_workflow_s_address_turns_the_buttons_on(monkeypatch):
    """With repository.url empty, BPKIT_REPOSITORY_URL (set by .github/workflows/publish.yml from
    the repository it runs in) stands in for it, with BPKIT_REPOSITORY_BRANCH as the branch."""
    monkeypatch.setenv("BPKIT_REPOSITORY_URL", "https://github.com/a-fork/bpkit")
    monkeypatch.setenv("BPKIT_REPOSITORY_BRANCH", "main")
    opts = theme_options("")
    launch_module().configure(None, SimpleNamespace(html_theme_options=opts))
    assert opts["repository_url"] == "https://github.com/a-fork/bpkit"
    assert opts["repository_branch"] == "main"
    assert opts["use_repository_button"] is True
    assert opts["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_a_configured_address_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("BPKIT_REPOSITORY_URL", "https://github.com/a-fork/bpkit")
    opts = theme_options("https://github.com/owner/bpkit")
    launch_module().configure(None, SimpleNamespace(html_theme_options=opts))
    assert opts["repository_url"] == "https://github.com/owner/bpkit"
