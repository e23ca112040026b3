"""Live in Jupyter: the widgets are real ipywidgets models in a kernel, both ways.

* Executing a notebook with nbclient (as myst-nb does for the book) records each widget's state
  (``application/vnd.jupyter.widget-state+json``), and the state follows Python's changes.
* A front end moving the figure sends the kernel a comm ``update`` of ``step``: we send that
  message ourselves, as JupyterLab would, and Python's ``stepper.step`` follows.
"""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import bpkit

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

SETUP = textwrap.dedent("""
    import numpy as np, bpkit
    from bpkit.widgets import PassStepper, LoopStepper, NotationExplorer
    net = bpkit.Network([2, 3, 2], seed=1)
    s = PassStepper(net, np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]]))
    s
""")


def models_by_class(nb) -> dict[str, dict]:
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    out = {}
    for model_id, model in state.items():
        anywidget_id = model["state"].get("_anywidget_id", "")
        if anywidget_id.startswith("bpkit.widgets."):
            out[anywidget_id.rsplit(".", 1)[1]] = {"id": model_id, **model}
    return out


@pytest.mark.slow
def test_nbclient_records_live_widget_state():
    nb = new_notebook(cells=[
        new_code_cell(SETUP),
        new_code_cell("s.step = 5\ns.x = np.array([[2.0], [0.25]])\nprint(s.step, s.n_steps)"),
        new_code_cell("X = np.array([[0., 0., 1., 1.], [0., 1., 0., 1.]]); Y = np.array([[0., 1., 1., 0.]])\n"
                      "LoopStepper(bpkit.Network([2, 2, 1], seed=0), X, Y, eta=3.0, step=2)"),
        new_code_cell("e = NotationExplorer(net)\ne.selected = ['w', 3, 2, 1]\ne"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    NotebookClient(nb, kernel_name="python3", timeout=120, store_widget_state=True).execute()

    assert nb.cells[1].outputs[0]["text"].strip() == "5 12"
    models = models_by_class(nb)
    assert set(models) == {"PassStepper", "LoopStepper", "NotationExplorer"}
    for name, cell in (("PassStepper", 0), ("LoopStepper", 2), ("NotationExplorer", 3)):
        model = models[name]
        assert model["model_name"] == "AnyModel" and model["model_module"] == "anywidget"
        assert 'export default __bp["widgets/' in model["state"]["_esm"]
        data = nb.cells[cell].outputs[-1]["data"]
        assert data[WIDGET_VIEW]["model_id"] == model["id"]        # the live view of that model
        assert '<script type="module" data-bpkit-part=' in data["text/html"]  # and the static copy beside it

    # the recorded state followed Python: step 5, and the trace of the new x
    pass_state = models["PassStepper"]["state"]
    assert pass_state["step"] == 5
    net = bpkit.Network([2, 3, 2], seed=1)
    tr = bpkit.trace(net, np.array([[2.0], [0.25]]), np.array([[1.0], [0.0]]))
    z2 = pass_state["_data"]["steps"][1]["outputs"][0]
    assert z2["name"] == "z^2"
    np.testing.assert_allclose(np.array(z2["v"]), tr.steps[1].value("z^2"), rtol=1e-12)
    assert models["LoopStepper"]["state"]["step"] == 2
    assert models["NotationExplorer"]["state"]["selected"] == ["w", 3, 2, 1]


@pytest.mark.slow
def test_front_end_update_reaches_python():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        def run(code: str) -> str:
            out: list[str] = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    raise AssertionError("\n".join(msg["content"]["traceback"]))

            reply = kc.execute_interactive(code, output_hook=hook, timeout=60)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(out).strip()

        def front_end_sets(model_id: str, state: dict) -> None:
            """What JupyterLab's widget manager sends when the page calls model.save_changes()."""
            msg = kc.session.msg("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}})
            kc.shell_channel.send(msg)

        model_id = run(SETUP.replace("\ns\n", "\n") + "print(s.model_id)")
        front_end_sets(model_id, {"step": 4})
        assert run("print(s.step, s.trace.steps[s.step].kind)") == "4 activation"
        front_end_sets(model_id, {"step": 99})                     # refused: out of range
        assert run("print(s.step)") == "4"
        # an edit made in the page: the embedded network and x come back, Python re-traces
        from bpkit.widgets.engine import net_dict

        edited = bpkit.Network([2, 3, 2], seed=1)
        edited.w(3)[1, 2] = 0.75
        front_end_sets(model_id, {"config": {"net": net_dict(edited), "x": [[2.0], [0.25]], "y": [[1.0], [0.0]], "eta": 0.5}})
        expected = bpkit.trace(edited, np.array([[2.0], [0.25]]), np.array([[1.0], [0.0]]), eta=0.5)
        assert run("print(s.net.w(3)[1, 2], s.x.ravel().tolist(), s.eta, s.n_steps, repr(s.trace.cost_value))") == (
            f"0.75 [2.0, 0.25] 0.5 {len(expected.steps)} {expected.cost_value!r}")
        # and a change made in Python is the page's new starting point
        assert run("s.x = np.array([[0.1], [0.2]]); print(s.config, s._base['x'])") == "{} [[0.1], [0.2]]"
        explorer = run("e = NotationExplorer(net)\nprint(e.model_id)")
        front_end_sets(explorer, {"selected": ["b", 2, 3]})
        assert run("print(e.selected, e.selected_value == net.b(2)[2, 0])") == "['b', 2, 3] True"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_widget_state_is_json(net, xy):
    """The synced state must survive the JSON of the comm and of the notebook file."""
    from bpkit.widgets import PassStepper

    s = PassStepper(net, *xy, eta=0.5, step=3)
    state = json.loads(json.dumps(s.get_state(), allow_nan=False))
    assert state["step"] == 3 and len(state["_data"]["steps"]) == 14 and state["digits"] == 3
