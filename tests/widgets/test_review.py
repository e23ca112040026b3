"""Review and Progress, the questions that come back: which remembered answers a chapter asks
again (node), the progress per chapter (node), and the static copies (Python). The browser
behaviour on the built book is in tests/book/test_exercises_browser.py."""

from __future__ import annotations

import re

import pytest

from bpkit.errors import BpkitError
from bpkit.widgets import Progress, Review


def test_the_static_copies_hold_only_their_title_and_no_address():
    for widget, module in ((Review(), "widgets/review.js"), (Progress(), "widgets/progress.js")):
        page = widget.to_html()
        assert f'data-bpkit-module="{module}"' in page and '"title":' in page
        assert not re.search(r"https?://", page)
        assert "page/answers.js" in page  # the memory, shared with SelfCheck
    with pytest.raises(BpkitError, match="title .* must be a string"):
        Review(title=5)


def test_which_questions_come_back_and_how_progress_counts_them():
    from jsrun import run_js

    answers = {
        "a": {"id": "a", "chapter": 5, "slug": "05_four_equations", "heading": "Four", "right": False, "wrong": 1,
              "when": 3, "state": {"_data": {"id": "a"}}},
        "b": {"id": "b", "chapter": 5, "slug": "05_four_equations", "heading": "Four", "right": True, "wrong": 2,
              "when": 2, "state": {"_data": {"id": "b"}}},
        "c": {"id": "c", "chapter": 7, "slug": "07_algorithm", "heading": "Algo", "right": False, "wrong": 3,
              "when": 1, "state": {"_data": {"id": "c"}}},
        "d": {"id": "d", "chapter": 2, "slug": "02_notation", "heading": "Notation", "right": False, "wrong": 1,
              "when": 0, "state": {"_data": {"id": "d"}}},
    }
    out = run_js("""
        const paths = ["/book/08_worked_example.html", "/book/06_proofs.html", "/lab/tree/book/03_cost_function.md",
                       "/book/intro.html", "book/10_training.ipynb?x=1"];
        return {
          chapters: paths.map(bpChapterOf),
          review: paths.map((p) => bpReviewItems(input.answers, p).map((a) => a.id)),
          progress: bpProgress(input.answers),
        };
    """, {"answers": answers}, modules=["widgets/review.js", "widgets/progress.js", "page/answers.js"])
    assert out["chapters"][0] == {"number": 8, "slug": "08_worked_example"}
    assert out["chapters"][2] == {"number": 3, "slug": "03_cost_function"} and out["chapters"][3] is None
    assert out["chapters"][4] == {"number": 10, "slug": "10_training"}
    # earlier chapters only; the most missed first, then the earliest chapter; answered right: gone
    assert out["review"][0] == ["c", "d", "a"]
    assert out["review"][1] == ["d", "a"]
    assert out["review"][2] == ["d"]
    assert out["review"][3] == ["c", "d", "a"]  # a page of no chapter: every wrong one
    assert [(r["chapter"], r["answered"], r["right"], r["review"]) for r in out["progress"]] == [
        (2, 1, 0, 1), (5, 2, 1, 1), (7, 1, 0, 1)]
