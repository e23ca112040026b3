"""The grader: try the reader's function on many networks, compare with bpkit, name the mistake.

For each network (:mod:`~bpkit.exercises.cases`) the reader's function is called on copies,
within a time limit (:mod:`~bpkit.exercises.call`). If it agrees with bpkit everywhere, it is
right. If not, every mistake of the catalogue that the task can make is computed by bpkit on
the same networks (:mod:`~bpkit.exercises.slips`): a mistake is named when the reader's output
equals its output on *every* network. When none does, the verdict says which quantity, which
entry and by how much, on which networks it is right and on which wrong, and, for a whole
backward pass, in which layer the error enters.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .._validate import _short, check_number, check_seed, check_whole
from .call import Call, call, reader_line
from .cases import Case, make_cases
from .compare import all_zero, differences, kind_problem, same
from .mistakes import CATALOGUE, CHAPTERS, Mistake
from .tasks import Node, Task
from .verdict import Verdict

SQUARE_CASES = 4  # networks whose layers all have one size, tried when the function raised


def _cases(task: Task, count: int, seed: int, square: bool = False) -> list[Case]:
    first, offset = task.layers
    return make_cases(count, seed, task.batch, task.settings, square=square, first_layer=first,
                      last_layer_offset=offset)


def _leaves(node: Node) -> list[str]:
    if node.children is None:
        return [f"{node.name} {node.shape}"]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _returns(task: Task, case: Case) -> str:
    return f"It should return {task.returns}; here: {', '.join(_leaves(task.spec(case)))}."


def _refusal(task: Task, fn: Any) -> str | None:
    """Why ``fn`` cannot be graded at all, or None."""
    call_form = f"{task.name}({', '.join(task.params)})"
    if not callable(fn):
        extra = " (that is what the function returned: pass the function itself, without parentheses)" \
            if fn is None or not isinstance(fn, type) else ""
        return (f"needs your function itself, {task.name}, and got {_short(fn)}{extra}. "
                f"Write check_{task.name}({task.name}), not check_{task.name}({task.name}(...)).")
    if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
        return ("your function uses `yield`, so calling it only makes a generator and runs nothing: "
                "compute the result and `return` it.")
    if inspect.iscoroutinefunction(fn):
        return "your function is an `async def`: write a plain `def`."
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a built-in without a signature: just call it
        return None
    try:
        signature.bind(*task.params)
    except TypeError:
        takes = ", ".join(signature.parameters) or "nothing"
        return (f"your function takes ({takes}), but the grader calls it as {call_form}: "
                f"{len(task.params)} argument{'s' * (len(task.params) != 1)}, in this order.")
    return None


class _Notes:
    """What the calls printed, warned and changed, summed over the calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.printed: list[str] = []
        self.warned: dict[str, int] = {}
        self.changed: list[str] = []
        self.slowest = 0.0

    def add(self, c: Call) -> None:
        self.calls += 1
        self.printed += [line for line in c.printed.splitlines() if line.strip()]
        for w in c.warned:
            self.warned[w] = self.warned.get(w, 0) + 1
        self.changed += [part for part in c.changed if part not in self.changed]
        self.slowest = max(self.slowest, c.outcome.seconds)

    def lines(self) -> list[str]:
        out = []
        if self.printed:
            first = self.printed[0] if len(self.printed[0]) <= 80 else self.printed[0][:77] + "..."
            out.append(f"it printed {len(self.printed)} line{'s' * (len(self.printed) != 1)} in "
                       f"{self.calls} call{'s' * (self.calls != 1)} (kept here, not on the page); "
                       f"the first: \u201c{first}\u201d.")
        for w, n in self.warned.items():
            out.append(f"NumPy warned in {n} of {self.calls} calls: {w}.")
        if self.changed:
            out.append(f"it wrote into its inputs: {', '.join(self.changed[:6])}"
                       f"{', ...' if len(self.changed) > 6 else ''}. The grader passed copies, so "
                       f"your own arrays are unchanged; but code that calls it twice with the same "
                       f"arrays would see them change. Compute new arrays instead of writing into "
                       f"the ones you are given.")
        return out


def _mistake_lines(mistake: Mistake, tail: str) -> list[str]:
    return [f"It computes {mistake.computes}.", f"It should: {mistake.fix}",
            f"Reread {mistake.where_to_reread}.", tail]


def _matching(task: Task, keys: tuple[str, ...], results: list[tuple[Case, Any]]) -> list[Mistake]:
    """The mistakes whose output equals the reader's on every case."""
    found = []
    for key in keys:
        ok = True
        for case, out in results:
            try:
                slipped = task.compute(case, key)
            except Exception:  # the slip cannot run on this network (it raises): no match
                ok = False
            if not ok or not same(out, slipped):
                ok = False
                break
        if ok:
            found.append(CATALOGUE[key])
    return found


def _diagnosis(task: Task, found: list[Mistake], networks: int, where: str) -> tuple[str, list[str], tuple[Mistake, ...]]:
    if len(found) == 1:
        return (f"{found[0].title}.", _mistake_lines(found[0], f"(On {where}, your output is exactly what this "
                                                               f"mistake gives.)"), (found[0],))
    titles = "; or ".join(m.title for m in found)
    lines = [f"On {where} your output is what each of these mistakes gives: {titles}."]
    for m in found:
        lines += [f"{m.title}: it should: {m.fix} Reread {m.where_to_reread}."]
    return "one of several mistakes that give the same numbers here.", lines, tuple(found)


def _pattern(task: Task, results: list[tuple[Case, Any]]) -> str | None:
    """'It is right for every network with m = 1 and wrong for every one with m > 1', or None."""
    ok = {id(c): same(out, task.compute(c, None)) for c, out in results}
    features = {
        "m": lambda c: "m = 1" if c.m == 1 else "m > 1",
        "activation": lambda c: f"σ = {c.act.name}",
        "cost": lambda c: f"the {c.cost.name.replace('_', '-')} cost",
    }
    for f in features.values():
        groups: dict[str, list[bool]] = {}
        for c, _ in results:
            groups.setdefault(f(c), []).append(ok[id(c)])
        good = [g for g, v in groups.items() if all(v)]
        bad = [g for g, v in groups.items() if not any(v)]
        if good and bad and len(good) + len(bad) == len(groups):
            return (f"It is right on every network with {' or '.join(good)}, and wrong on every one with "
                    f"{' or '.join(bad)}.")
    return None


def _layers_line(diffs: list[tuple[str, str]], spec: Node) -> str | None:
    """For a list of per-layer quantities, the layer where the error enters, walking back."""
    names = [leaf.split(" ")[0] for leaf in _leaves(spec)]
    layered = [n for n in names if "^" in n and n.split("^")[-1].isdigit()]
    if len(layered) < 4:
        return None
    wrong = {d[0] for d in diffs}
    layers = sorted({int(n.split("^")[-1]) for n in layered}, reverse=True)
    for l in layers:
        bad_here = [n for n in layered if n.endswith(f"^{l}") and n in wrong]
        if bad_here:
            right_after = [k for k in layers if k > l]
            if not right_after:
                return (f"Walking back from the output layer, it is wrong already at layer l = {l}, the "
                        f"output layer: look at BP1 (and at the forward pass).")
            return (f"Walking back from the output layer, layers {', '.join(map(str, right_after))} are right and "
                    f"layer l = {l} is the first that is wrong ({', '.join(bad_here)}): the error enters there, "
                    f"in BP2 from layer {l + 1} to layer {l}, or in BP3/BP4 of layer {l}.")
    return None


def grade(task: Task, fn: Callable[..., Any], networks: int = 20, seed: int = 0, time_limit: float = 2.0) -> Verdict:
    """Grade ``fn`` on ``networks`` random networks drawn with ``seed``; each call may run for
    ``time_limit`` seconds."""
    networks = check_whole(networks, "networks", 1, " (how many random networks to try)")
    seed = check_seed(seed)
    time_limit = check_number(time_limit, "time_limit", positive=True, meaning=" (seconds per call)")
    refusal = _refusal(task, fn)
    if refusal:
        return Verdict(task, False, "cannot be graded yet.", [f"check_{task.name} {refusal}" if refusal.startswith("needs")
                                                            else refusal[0].upper() + refusal[1:]])
    notes = _Notes()
    results: list[tuple[Case, Any]] = []
    for case in _cases(task, networks, seed):
        c = call(fn, task.args(case), time_limit)
        notes.add(c)
        o = c.outcome
        if o.status == "timeout":
            v = _timeout(task, case, c, time_limit)
            break
        if o.status == "raised":
            v = _raised(task, fn, case, c, seed, time_limit, notes)
            break
        problem = kind_problem(o.value, task.spec(case))
        if problem:
            v = Verdict(task, False, f"your function {problem}", [_returns(task, case)])
            break
        results.append((case, o.value))
    else:
        v = _judge(task, results)
    v.notes = notes.lines()
    v.networks = len(results)
    return v


def _judge(task: Task, results: list[tuple[Case, Any]]) -> Verdict:
    n = len(results)
    if all(same(out, task.compute(case, None)) for case, out in results):
        return Verdict(task, True, f"right. It agrees with bpkit on {_summary(results)}.")
    where = f"all {n} networks the grader tried"
    reread = f"Reread {CHAPTERS[task.reread[0]]}: \u201c{task.reread[1]}\u201d."
    if all(all_zero(out) for _, out in results):
        return Verdict(task, False, "it returns zeros only: nothing is computed yet.",
                       [f"It should compute {task.equation}, and return {task.returns}.", reread])
    if task.params[:2] == ("weights", "biases") and task.returns.startswith("(weights, biases)") and all(
            same(out, (case.weights, case.biases)) for case, out in results):
        return Verdict(task, False, "it returns the weights and biases it was given: no step is taken yet.",
                       [f"It should compute {task.equation}, and return {task.returns}.", reread])
    found = _matching(task, task.mistakes, results)
    if found:
        headline, lines, mistakes = _diagnosis(task, found, n, where)
        return Verdict(task, False, headline, lines, mistakes)
    case, out = next((c, o) for c, o in results if not same(o, task.compute(c, None)))
    spec = task.spec(case)
    diffs = differences(out, task.compute(case, None), spec)
    lines = [f"On {case.describe()}:"] + [f"{name}: {what}" for name, what in diffs[:6]]
    if len(diffs) > 6:
        lines.append(f"... and {len(diffs) - 6} more.")
    for extra in (_layers_line(diffs, spec), _pattern(task, results)):
        if extra:
            lines.append(extra)
    lines.append(f"It should compute {task.equation}. {reread}")
    return Verdict(task, False, "wrong, and not by a mistake the grader knows.", lines)


def _summary(results: list[tuple[Case, Any]]) -> str:
    cases = [c for c, _ in results]
    ms = sorted({c.m for c in cases})
    m_text = ("one example each" if ms == [1] else
              f"mini-batches of {ms[0]} to {ms[-1]} examples" if ms[0] > 1 else
              f"one example and mini-batches of {min(m for m in ms if m > 1)} to {ms[-1]}")
    acts = " and ".join(sorted({c.act.name for c in cases}))
    costs = " and ".join(sorted({c.cost.name.replace("_", "-") for c in cases}))
    layers = " and ".join(str(L) for L in sorted({c.L for c in cases}))
    return (f"{len(cases)} random networks ({layers} layers, every layer of a different size; {m_text}; "
            f"σ = {acts}; {costs} cost)")


def _given(task: Task, case: Case) -> str:
    return "It was given: " + "; ".join(a.describe() for a in task.args(case)) + "."


def _timeout(task: Task, case: Case, c: Call, time_limit: float) -> Verdict:
    where = reader_line(c.outcome.error)
    lines = [f"On {case.describe()} it had not returned after {time_limit:g} s (bpkit takes well under "
             f"a millisecond), so the grader stopped it" + (f" at {where}." if where else "."),
             "An endless loop? (A `while` whose condition never changes, a loop over a list that "
             "grows inside it, a `time.sleep`.)", _given(task, case)]
    return Verdict(task, False, f"did not finish within {time_limit:g} s.", lines)


def _raised(task: Task, fn: Callable[..., Any], case: Case, c: Call, seed: int, time_limit: float,
            notes: _Notes) -> Verdict:
    error = c.outcome.error
    where = reader_line(error)
    message = str(error).strip() or "(no message)"
    lines = [f"{type(error).__name__}: {message}" + (f", at {where}." if where else "."),
             f"That was on {case.describe()}.", _given(task, case), _returns(task, case)]
    probe = _square_probe(task, fn, seed, time_limit, notes)
    if probe:
        lines += probe[0]
        if not probe[2] and task.hint:
            lines.append(task.hint)
        return Verdict(task, False, f"raised {type(error).__name__} ({probe[1]}).", lines, probe[2])
    if task.hint:
        lines.append(task.hint)
    return Verdict(task, False, f"raised {type(error).__name__}.", lines)


def _square_probe(task: Task, fn: Callable[..., Any], seed: int, time_limit: float,
                  notes: _Notes) -> tuple[list[str], str, tuple[Mistake, ...]] | None:
    """Try networks whose layers all have 3 neurons: a missing transpose or a layer mixed up
    raises only when the sizes differ. Returns (lines, short reason, mistakes) or None."""
    results = []
    for case in _cases(task, SQUARE_CASES, seed + 1, square=True):
        c = call(fn, task.args(case), time_limit)
        notes.add(c)
        if c.outcome.status != "returned" or kind_problem(c.outcome.value, task.spec(case)):
            return None
        results.append((case, c.outcome.value))
    layers = f"{results[0][0].sizes}"
    if all(same(out, task.compute(case, None)) for case, out in results):
        return ([f"On networks whose layers all have the same size ({layers}) it runs and is right: "
                 "so a shape depends on the wrong layer size somewhere (an n_l where n_(l−1) or "
                 "n_(l+1) belongs), which only shows when the layers differ."],
                "right only when every layer has the same size", ())
    found = _matching(task, task.mistakes, results)
    if not found:
        return ([f"On networks whose layers all have the same size ({layers}) it runs, but its numbers "
                 "are wrong there too, and not by a mistake the grader knows."], "wrong shapes", ())
    headline, lines, mistakes = _diagnosis(task, found, len(results), f"networks whose layers all have "
                                                                      f"the same size ({layers}), where it runs")
    return [f"That is what this mistake does when layers differ in size: {headline}"] + lines, headline.rstrip("."), mistakes
