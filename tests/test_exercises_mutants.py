"""The grader is honest by construction: the mutant bank and the right implementations.

* Every mistake of the catalogue, written into a reader's function as a learner writes it
  (tests/exercises_code.py), is graded with exactly its diagnosis, for every exercise that can
  make it: named alone (no other mistake matches), by the same words the catalogue has.
* Right implementations in three styles (loops, the matrix form, np.einsum) pass on hundreds of
  random networks, with no diagnosis and nothing to note.
* On the networks the grader draws, no two mistakes of an exercise give the same output (so no
  diagnosis can be ambiguous); the pairs that could not be told apart would be listed here.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

import bpkit.exercises as ex
from bpkit.exercises.compare import same
from bpkit.exercises.grade import SQUARE_CASES, _cases
from bpkit.exercises.tasks import TASKS
from exercises_code import RIGHT, mutant

CHECKERS = {name: getattr(ex, f"check_{name}") for name in TASKS}
PAIRS = [(task, key) for task in TASKS for key in TASKS[task].mistakes]


def test_the_catalogue_names_at_least_a_dozen_mistakes_each_with_a_section_and_most_with_evidence():
    from bpkit.exercises.mistakes import CHAPTERS, UNSEEN

    assert len(ex.CATALOGUE) >= 12
    used = {key for task in TASKS.values() for key in task.mistakes}
    assert used == set(ex.CATALOGUE), "every mistake belongs to some exercise, and only those"
    # every mistake cites a thread that shows it, but the few UNSEEN says why it has none
    assert set(UNSEEN) < set(ex.CATALOGUE) and len(UNSEEN) <= 4
    assert [m.key for m in ex.CATALOGUE.values() if not m.evidence] == [k for k in ex.CATALOGUE if k in UNSEEN]
    cited = [url for m in ex.CATALOGUE.values() for url in m.evidence]
    assert all(re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+", u) for u in cited), cited
    assert all(len(set(m.evidence)) == len(m.evidence) for m in ex.CATALOGUE.values())
    # the section a mistake sends the reader to is a heading of that chapter ($\eta$ reads η)
    book = Path(__file__).resolve().parents[1] / "book"
    assert {doc for m in ex.CATALOGUE.values() for doc, _ in [m.reread]} == set(CHAPTERS)
    for m in ex.CATALOGUE.values():
        assert m.where_to_reread.startswith("chapter ") and m.title and m.computes and m.fix and m.symptom
        doc, section = m.reread
        text = (book / f"{doc}.md").read_text(encoding="utf-8")
        headings = {re.sub(r"\$([^$]*)\$", r"\1", h).replace("\\eta", "η").strip()
                    for h in re.findall(r"^#+ (.+)$", text, re.M)}
        assert section in headings, (m.key, section)
        title = re.search(r"^# (.+)$", text, re.M)[1]
        assert CHAPTERS[doc].endswith(title), (doc, title)


@pytest.mark.parametrize("task, key", PAIRS, ids=[f"{t}-{k}" for t, k in PAIRS])
def test_each_mutant_gets_exactly_its_diagnosis(task, key):
    verdict = CHECKERS[task](mutant(task, key))
    assert not verdict.passed
    assert [m.key for m in verdict.mistakes] == [key], verdict.text
    mistake = ex.CATALOGUE[key]
    assert mistake.title in verdict.text and mistake.where_to_reread in verdict.text
    if mistake.square_only and task != "update_mini_batch" or "raised" in verdict.headline:
        # it raised on the grader's networks (layers of different sizes) and was named on
        # networks whose layers all have one size
        assert verdict.headline.startswith("raised") and "same size" in verdict.text, verdict.text


@pytest.mark.parametrize("task", list(TASKS))
@pytest.mark.parametrize("style", ["loops", "matrix", "einsum"])
def test_right_implementations_pass_on_hundreds_of_networks(task, style):
    networks = 40 if style == "loops" and task in ("backprop_matrix", "update_mini_batch") else 200
    verdict = CHECKERS[task](RIGHT[task][style], networks=networks, seed=7)
    assert verdict.passed and verdict.mistakes == () and verdict.networks == networks, verdict.text
    if not (task == "sgd_step" and style == "einsum"):  # that one updates its inputs in place
        assert verdict.notes == [], verdict.notes


def test_an_in_place_update_passes_and_is_told_that_it_wrote_into_its_inputs():
    verdict = ex.check_sgd_step(RIGHT["sgd_step"]["einsum"])
    assert verdict.passed
    assert any("wrote into its inputs: weights[0] (w^2)" in note for note in verdict.notes), verdict.notes


@pytest.mark.parametrize("task", list(TASKS))
def test_no_two_mistakes_of_an_exercise_give_the_same_output(task):
    """On the grader's own networks (and, for the mistakes that raise there, on the square
    ones it then tries), every two outcomes differ somewhere, the right one included."""
    t = TASKS[task]
    for square, cases in ((False, _cases(t, 20, 0)), (True, _cases(t, SQUARE_CASES, 1, square=True))):
        outputs = {}
        for key in (None,) + t.mistakes:
            try:
                outputs[key] = [t.compute(c, key) for c in cases]
            except Exception:  # raises on these networks: told apart by that
                continue
        same_pairs = [(a, b) for a, b in itertools.combinations(outputs, 2)
                      if all(same(x, y) for x, y in zip(outputs[a], outputs[b]))]
        assert same_pairs == [], (task, square, same_pairs)


def test_the_slips_are_built_on_bpkit():
    """With no slip, the computations the mistakes are measured against are bpkit's."""
    import numpy as np

    import bpkit
    from bpkit.train import update_mini_batch_matrix

    for case in _cases(TASKS["update_mini_batch"], 6, 3):
        net = bpkit.Network(case.sizes, case.act, case.cost, weights=case.weights, biases=case.biases)
        nabla_b, nabla_w = TASKS["backprop_matrix"].compute(case, None)
        ref_b, ref_w = net.backprop(case.x, case.y)
        assert all(np.allclose(a, b, rtol=1e-13, atol=0) for a, b in zip(nabla_b + nabla_w, ref_b + ref_w))
        weights, biases = TASKS["update_mini_batch"].compute(case, None)
        update_mini_batch_matrix(net, case.x, case.y, case.eta)
        assert all(np.allclose(a, b, rtol=1e-13, atol=1e-15) for a, b in zip(weights + biases, net.weights + net.biases))
