"""Two small Sphinx additions for the bpkit book.

1. Citations in round brackets, "(Nielsen, 2015)": sphinxcontrib-bibtex's author-year style
   with parentheses, registered as the referencing style ``author_year_round``.
2. References to bpkit's short public names in the API reference, as below, and references
   by a bare name (``SymbolicNetwork``, ``to_book``) that match exactly one documented object.

bpkit's docstrings write what a reader types, ``bpkit.Network.backprop`` or ``bpkit.sgd``; the
API page documents each object in the module that defines it (``bpkit.network.Network``). When
Sphinx cannot find a ``bpkit.*`` target, this looks the name up on the imported package and
retries with the defining module's name, so both spellings link to the same entry.
"""

from __future__ import annotations

import importlib
from typing import Any


def _canonical(target: str) -> str | None:
    """``bpkit.Network.backprop`` -> ``bpkit.network.Network.backprop`` (None if not found)."""
    parts = target.split(".")
    try:
        obj: Any = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, name in enumerate(parts[1:], start=1):
        if not hasattr(obj, name):
            # a submodule is an attribute of its package only once imported, and an
            # incremental build that re-reads no page imports none (autodoc does, when reading)
            try:
                importlib.import_module(".".join(parts[:i + 1]))
            except ImportError:
                return None
            if not hasattr(obj, name):
                return None
        obj = getattr(obj, name)
        module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
        if isinstance(module, str) and isinstance(qualname, str) and not isinstance(obj, type(importlib)):
            return ".".join([module, qualname, *parts[i + 1:]])
    return None


def _missing_reference(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    if target.startswith("bpkit."):
        canonical = _canonical(target)
        if canonical is None or canonical == target:
            return None
        return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode)
    # A bare or partial name, written inside a module's docstring: resolve it if exactly one
    # documented bpkit object ends with it (Sphinx's own "fuzzy" search, made unambiguous).
    matches = domain.find_obj(env, node.get("py:module"), node.get("py:class"), target,
                              domain.objtypes_for_role(node["reftype"]) and node["reftype"], 1)
    matches = [(name, obj) for name, obj in matches if name.startswith("bpkit.")]
    if len(matches) != 1:
        return None
    return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], matches[0][0], node, contnode)


def _register_round_author_year() -> None:
    import dataclasses

    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    @dataclasses.dataclass
    class RoundAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = dataclasses.field(
            default_factory=lambda: BracketStyle(left="(", right=")"))
        bracket_textual: BracketStyle = dataclasses.field(
            default_factory=lambda: BracketStyle(left="(", right=")"))

    # Does nothing (returns False) when the name is already registered.
    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear)


def setup(app):
    _register_round_author_year()
    app.connect("missing-reference", _missing_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
