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

    state = lambda i: {"_data": {"id": i}}  # noqa: E731
    answers = {
        # wrong, then never answered right in a review: comes back
        "a": {"id": "a", "chapter": 5, "slug": "05_four_equations", "heading": "Four", "section": "Check yourself",
              "right": False, "first": False, "wrong": 1, "when": 3, "state": state("a")},
        # wrong twice, then answered right in a review: cleared
        "b": {"id": "b", "chapter": 5, "slug": "05_four_equations", "heading": "Four", "right": True, "first": False,
              "wrong": 2, "cleared": True, "when": 2, "state": state("b")},
        "c": {"id": "c", "chapter": 7, "slug": "07_algorithm", "heading": "Algo", "right": False, "first": False,
              "wrong": 3, "when": 1, "state": state("c")},
        "d": {"id": "d", "chapter": 2, "slug": "02_notation", "heading": "Notation", "right": False, "first": False,
              "wrong": 1, "when": 0, "state": state("d")},
        # wrong, then right at once on its own page: still comes back (only a review clears it)
        "e": {"id": "e", "chapter": 2, "slug": "02_notation", "heading": "Notation", "right": True, "first": False,
              "wrong": 1, "when": 4, "state": state("e")},
        # right at the first try
        "f": {"id": "f", "chapter": 7, "slug": "07_algorithm", "heading": "Algo", "right": True, "first": True,
              "wrong": 0, "when": 5, "state": state("f")},
        # stored before `first` was kept: right with no wrong answer counts as right at the first try
        "g": {"id": "g", "chapter": 7, "slug": "07_algorithm", "heading": "Algo", "right": True, "wrong": 0,
              "when": 6, "state": state("g")},
    }
    out = run_js("""
        const paths = ["/book/08_worked_example.html", "/book/06_proofs.html", "/lab/tree/book/03_cost_function.md",
                       "/book/intro.html", "book/10_training.ipynb?x=1"];
        return {
          chapters: paths.map(bpChapterOf),
          review: paths.map((p) => bpReviewItems(input.answers, p).map((a) => a.id)),
          progress: bpProgress(input.answers),
          from: [bpReviewFrom(input.answers.a), bpReviewFrom(input.answers.c)],
        };
    """, {"answers": answers}, modules=["widgets/review.js", "widgets/progress.js", "page/answers.js"])
    assert out["chapters"][0] == {"number": 8, "slug": "08_worked_example"}
    assert out["chapters"][2] == {"number": 3, "slug": "03_cost_function"} and out["chapters"][3] is None
    assert out["chapters"][4] == {"number": 10, "slug": "10_training"}
    # earlier chapters only; the most missed first, then the earliest chapter, then the oldest;
    # answered right in a review: gone; right on its own page after a wrong answer: still there
    assert out["review"][0] == ["c", "d", "e", "a"]
    assert out["review"][1] == ["d", "e", "a"]
    assert out["review"][2] == ["d", "e"]
    assert out["review"][3] == ["c", "d", "e", "a"]  # a page of no chapter: every one to try again
    # (chapter, answered, right at the first try, to try again)
    assert [(r["chapter"], r["answered"], r["first"], r["review"]) for r in out["progress"]] == [
        (2, 2, 0, 2), (5, 2, 0, 1), (7, 3, 2, 1)]
    assert out["from"][0] == ('From <a href="05_four_equations.html#bpkit-q-a">chapter 5, \u201cFour\u201d, section '
                              '\u201cCheck yourself\u201d</a>. Any figure or number it speaks of is in chapter 5, at that link.')
    assert out["from"][1].startswith('From <a href="07_algorithm.html#bpkit-q-c">chapter 7, \u201cAlgo\u201d</a>, missed 3 times.')


def test_what_is_remembered_after_each_answer():
    """bpRemember in node, with a stand-in localStorage: the first answer fixes `first`; a wrong
    answer anywhere brings the question back; only a right answer in a review clears it."""
    from jsrun import run_js

    out = run_js("""
        const data = {};
        globalThis.localStorage = { getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); },
                                    removeItem: (k) => { delete data[k]; } };
        globalThis.location = { pathname: "/book/05_four_equations.html" };
        const q = { id: "q1", state: { _data: { id: "q1" } }, heading: "Four", section: "Check yourself" };
        const snap = () => { const a = bpAnswers().q1; return [a.first, a.right, a.wrong, a.cleared, bpNeedsReview(a)]; };
        const seen = [];
        bpRemember(q, false); seen.push(snap());                   // wrong at the first try
        bpRemember(q, true); seen.push(snap());                    // right at once, on its page
        globalThis.location = { pathname: "/book/07_algorithm.html" };
        bpRemember(q, false, { review: true }); seen.push(snap()); // wrong again in a review
        bpRemember(q, true, { review: true }); seen.push(snap());  // right in a review: cleared
        const a = bpAnswers().q1;
        bpRemember({ id: "q2", state: {}, heading: "Algo" }, true); // right at the first try
        const b = bpAnswers().q2;
        return { seen, chapter: a.chapter, section: a.section, b: [b.first, b.wrong, bpNeedsReview(b), b.chapter] };
    """, {}, modules=["page/answers.js"])
    assert out["seen"] == [[False, False, 1, False, True], [False, True, 1, False, True],
                           [False, False, 2, False, True], [False, True, 2, True, False]]
    assert out["chapter"] == 5 and out["section"] == "Check yourself"  # kept from where it was first asked
    assert out["b"] == [True, 0, False, 7]
