"""SelfCheck, the Python side: checking the question, the answer and the choices; the rule that
accepts a typed number; the text with $...$ as MathML; the static copy."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from bpkit.widgets import SelfCheck
from bpkit.widgets.selfcheck import text_html, tolerance


def test_a_number_is_right_within_half_a_unit_of_the_last_decimal():
    q = SelfCheck("What is $\\sigma(0)$?", 0.5, digits=3)
    assert q.check(0.5) == q.check(0.5004) == q.check(0.4996) == "correct"
    assert q.check(0.5005) == "correct"  # the bound itself (plus 1e-12)
    assert q.check(0.50051) == "too high" and q.check(0.49949) == "too low"
    assert q.check(np.float32(0.5)) == "correct" and q.check(1) == "too high"
    assert tolerance(0) == 0.5 + 1e-12
    whole = SelfCheck("How many weights has w^3 in a [2, 3, 2] network?", 6, digits=0)
    assert whole.check(6.4) == "correct" and whole.check(6.6) == "too high" and whole.check(5) == "too low"


def test_multiple_choice_takes_the_index_of_the_right_one():
    q = SelfCheck("Which equation gives $\\delta^L$?", 0, choices=["BP1", "BP2", "BP3", "BP4"])
    assert q.check(0) == "correct" and q.check(3) == "wrong"
    assert q.choices == ["BP1", "BP2", "BP3", "BP4"] and q.answer == 0
    assert q._data["mode"] == "choice" and len(q._data["choices"]) == 4


@pytest.mark.parametrize("kwargs, error, message", [
    ({"question": "", "answer": 1.0}, TypeError, "question must be a non-empty string"),
    ({"question": 3, "answer": 1.0}, TypeError, "question must be a non-empty string"),
    ({"question": "q", "answer": "0.5"}, TypeError, "answer must be a number"),
    ({"question": "q", "answer": True}, TypeError, "answer must be a number"),
    ({"question": "q", "answer": float("nan")}, ValueError, "answer must be a finite number"),
    ({"question": "q", "answer": [1.0, 2.0]}, TypeError, "answer must be a number"),
    ({"question": "q", "answer": 1.0, "digits": 10}, ValueError, "digits .* from 0 to 9"),
    ({"question": "q", "answer": 1.0, "digits": 1.5}, Exception, "digits"),
    ({"question": "q", "answer": 0, "choices": "BP1"}, TypeError, "choices must be a list of strings"),
    ({"question": "q", "answer": 0, "choices": ["BP1"]}, ValueError, "at least two answers"),
    ({"question": "q", "answer": 0, "choices": ["BP1", ""]}, TypeError, r"choices\[1\] must be a non-empty string"),
    ({"question": "q", "answer": 0, "choices": ["BP1", 2]}, TypeError, r"choices\[1\] must be a non-empty string"),
    ({"question": "q", "answer": 0, "choices": ["BP1", "BP1"]}, ValueError, "must all differ"),
    ({"question": "q", "answer": 2, "choices": ["BP1", "BP2"]}, ValueError, "answer=2 is not a choice: with 2 choices it is an index from 0 to 1"),
    ({"question": "q", "answer": -1, "choices": ["BP1", "BP2"]}, ValueError, "is not a choice"),
    ({"question": "q", "answer": 0.0, "choices": ["BP1", "BP2"]}, TypeError, "the index of the right one"),
    ({"question": "q", "answer": "BP2", "choices": ["BP1", "BP2"]}, TypeError, "pass answer=1"),
    ({"question": "q", "answer": True, "choices": ["BP1", "BP2"]}, TypeError, "the index of the right one"),
    ({"question": "What is $x", "answer": 1.0}, ValueError, r"question: a \$ without its closing \$"),
    ({"question": "q", "answer": 1.0, "explanation": 5}, TypeError, "explanation must be a string"),
    ({"question": "q", "answer": 1.0, "explanation": "a $$ b"}, ValueError, "explanation"),
    ({"question": "q", "answer": 0, "choices": ["$a", "b"]}, ValueError, r"choices\[0\]"),
    ({"question": "q", "answer": 1.0, "title": None}, TypeError, "title must be a string"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        SelfCheck(**kwargs)


def test_check_refuses_a_response_of_the_wrong_kind():
    with pytest.raises(TypeError, match="index of a choice"):
        SelfCheck("q", 0, choices=["a", "b"]).check("a")
    with pytest.raises(TypeError, match="answer must be a number"):
        SelfCheck("q", 1.0).check("1")


def test_text_is_escaped_and_its_maths_is_mathml():
    out = text_html("If $a < b$ then <b>bold</b> costs \\$5 & more.\n\nNext: $$\\delta^L = a^L - y$$", "q")
    assert out.startswith("<p>If <math") and "</p><p>Next: <math display=\"block\">" in out
    assert "&lt;b&gt;bold&lt;/b&gt; costs $5 &amp; more." in out
    assert "<mo>&#x0003C;</mo>" in out.split("</math>")[0]  # a < inside the maths is escaped too
    assert "xmlns" not in out and "http" not in out
    assert text_html("", "explanation") == ""


def test_static_copy_embeds_the_question_and_no_url():
    q = SelfCheck("What is $\\sigma'(0)$?", 0.25, explanation="$\\sigma' = \\sigma(1 - \\sigma)$", title="Quick check")
    page = q.to_html()
    state = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S).group(1))
    assert state["title"] == "Quick check" and state["digits"] == 3
    assert state["_data"]["mode"] == "number" and state["_data"]["answer"] == 0.25
    assert "<math" in state["_data"]["question"] and "<math" in state["_data"]["explanation"]
    assert "function render(" in page and "SelfCheck" in page
    assert not re.search(r"https?://", page)
    assert "SelfCheck(" in repr(q) and "a number to 3 decimals" in repr(q)


def test_the_page_and_python_agree_on_every_answer():
    """The page's question (page/question.js, run in node) parses typed text and judges it as
    SelfCheck.check does, known mistakes included."""
    from jsrun import run_js

    rng = np.random.default_rng(7)
    cases = []
    for _ in range(400):
        digits = int(rng.integers(0, 6))
        answer = float(np.round(rng.normal(0, 3), int(rng.integers(0, 8))))
        response = answer + float(rng.choice([-1, 1])) * float(rng.choice([0, 0.3, 0.49, 0.5, 0.51, 0.7, 2])) * 10.0 ** -digits
        # a known mistake's number, 1.5 to 3 units of the last decimal from the answer, either side
        mistake = answer + float(rng.choice([-1, 1])) * float(rng.uniform(1.5, 3)) * 10.0 ** -digits
        cases.append({"digits": digits, "answer": answer, "response": response, "mistake": mistake})
        cases.append({"digits": digits, "answer": answer, "mistake": mistake,
                      "response": mistake + float(rng.choice([-0.45, 0, 0.45, 0.6])) * 10.0 ** -digits})
    script = r"""
const { cases, texts } = input;
const data = (c) => ({ mode: "number", answer: c.answer, mistakes: [{ value: c.mistake, text: "m" }] });
return {
  verdicts: cases.map((c) => scVerdict(data(c), c.digits, c.response)),
  named: cases.map((c) => (scMistake(data(c), c.digits, c.response) || { text: null }).text),
  parsed: texts.map(scParse),
};
"""
    texts = ["0.25", " \u22120.25 ", "+3", "1e-3", "0,25", "-.5", "1 000", "abc", "", "0.2.5", "1/4", "Infinity", "NaN", "1e400",
             "9,000", "1,000,000", "-1,234.5", "1,5", "0,250", "12,34,567"]
    out = run_js(script, {"cases": cases, "texts": texts}, modules=["page/question.js"])
    for c, verdict, named in zip(cases, out["verdicts"], out["named"]):
        q = SelfCheck("q", c["answer"], digits=c["digits"], mistakes=[(c["mistake"], "m")])
        assert verdict == q.check(c["response"]), c
        assert named == q.diagnosis(c["response"]), c
    assert {"correct", "mistake", "too high", "too low"} <= set(out["verdicts"])
    assert out["parsed"] == [0.25, -0.25, 3, 0.001, 0.25, -0.5, 1000, None, None, None, None, None, None, None,
                             9000, 1000000, -1234.5, 1.5, 0.25, None]


def test_backticks_are_code():
    """`net.w(3)` in a question is code, as in the page's Markdown, and is escaped."""
    q = SelfCheck("In `net.w(3)[0, 1] < 1`, what is $w^3_{12}$?", 0.5)
    html = q.static_state()["_data"]["question"]
    assert "<code>net.w(3)[0, 1] &lt; 1</code>" in html and "`" not in html


def test_a_known_mistakes_number_is_named_and_must_be_told_apart_at_the_digits_asked():
    q = SelfCheck("What is $\\delta^3_1$?", -0.0448, digits=4,
                  mistakes=[(-0.9504, "BP1 without $\\sigma'(z^L)$."), (0.0448, "The sign of $\\nabla_a C$.")])
    assert q.check(-0.0448) == "correct" and q.check(0.04484) == "mistake" and q.check(-0.95041) == "mistake"
    assert q.diagnosis(0.0448) == "The sign of $\\nabla_a C$." and q.diagnosis(-0.3) is None
    assert q.check(-0.3) == "too low"
    data = q.static_state()["_data"]
    assert [m["value"] for m in data["mistakes"]] == [-0.9504, 0.0448] and "<math" in data["mistakes"][0]["text"]
    with pytest.raises(ValueError, match=r"the answer .* and mistakes\[0\] .* are within 0.01 of each other"):
        SelfCheck("q", 0.25, digits=2, mistakes=[(0.259, "too close")])
    with pytest.raises(ValueError, match=r"mistakes\[0\] .* and mistakes\[1\]"):
        SelfCheck("q", 0.25, digits=2, mistakes=[(0.5, "a"), (0.505, "b")])
    with pytest.raises(TypeError, match="mistakes are for a typed number"):
        SelfCheck("q", 0, choices=["a", "b"], mistakes=[(1.0, "x")])
    with pytest.raises(TypeError, match=r"mistakes\[0\] must be a pair"):
        SelfCheck("q", 0.25, mistakes=[(0.5,)])
    with pytest.raises(TypeError, match="must be a list of"):
        SelfCheck("q", 0.25, mistakes={0.5: "x"})


def test_each_question_has_the_same_id_in_every_build_and_choices_have_spoken_names():
    a, b = SelfCheck("Which $w$?", 1, choices=["$w^3_{24}$", "$w^3_{42}$"]), SelfCheck("Which $w$?", 1, choices=["$w^3_{24}$", "$w^3_{42}$"])
    assert a.static_state()["_data"]["id"] == b.static_state()["_data"]["id"]
    assert a.static_state()["_data"]["id"] != SelfCheck("Which $b$?", 0.5).static_state()["_data"]["id"]
    assert a.static_state()["_data"]["labels"] == ["w superscript 3 subscript 24", "w superscript 3 subscript 42"]


def test_a_wrong_choice_can_say_why_and_the_page_says_it():
    q = SelfCheck("Is $3$ even?", 1, choices=["yes", "no", "it depends"],
                  reasons=["$3 = 2 \\cdot 1 + 1$ leaves 1.", "", ""])
    assert q.reason(0) == "$3 = 2 \\cdot 1 + 1$ leaves 1." and q.reason(1) is None and q.reason(2) is None
    data = q.static_state()["_data"]
    assert data["reasons"][0].startswith("<p><math") and data["reasons"][1:] == ["", ""]
    assert SelfCheck("q", 0.5).reason(0) is None
    for kwargs, error, message in [
        ({"reasons": ["x", ""]}, TypeError, "reasons are for multiple choice"),
        ({"choices": ["a", "b"], "reasons": ["x"]}, ValueError, r"one text per choice \(2\); got 1"),
        ({"choices": ["a", "b"], "reasons": "x"}, TypeError, "must be a list of strings"),
        ({"choices": ["a", "b"], "reasons": ["", 3]}, TypeError, r"reasons\[1\] must be a string"),
        ({"choices": ["a", "b"], "reasons": ["why", ""]}, ValueError, r"reasons\[0\] belongs to the right choice"),
    ]:
        with pytest.raises(error, match=message):
            SelfCheck("q", 0 if "choices" in kwargs else 0.5, **kwargs)
