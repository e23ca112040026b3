"""The same gradients from PyTorch's autograd (float64), for comparison; bpkit never needs torch.

:func:`mazur_backward` runs the PyTorch code chapter 9 shows, the plain script ``mazur_torch.py``
beside this module: Mazur's network written with tensors, ``loss.backward()``, and the gradients
it leaves in ``.grad``. Its numbers are stored in ``pytorch_mazur.json``, which the chapter
reads, so that the book builds without torch; a test (tests/test_autodiff_torch.py) runs the
script with torch and compares.
:func:`torch_backprop` does the same for any bpkit ``Network`` (tests only).

Regenerate the stored numbers, with torch installed: ``python -m bpkit.autodiff.pytorch``.
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError
from ..network import Network

STORED = "pytorch_mazur.json"
SCRIPT = Path(__file__).with_name("mazur_torch.py")  # the plain PyTorch script the chapter shows
NO_TORCH = ("needs PyTorch, which bpkit does not install (the book reads its stored numbers instead): "
            "pip install torch (a CPU build is enough)")


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ImportError(f"bpkit.autodiff.pytorch {NO_TORCH}") from exc
    return torch


def mazur_backward() -> dict[str, Any]:
    """Run the plain PyTorch script ``mazur_torch.py`` (the code chapter 9 shows) and return its
    loss, the graph autograd recorded and every .grad it left."""
    torch = _torch()
    with contextlib.redirect_stdout(io.StringIO()):  # the script prints for its reader, not here
        ran = runpy.run_path(str(SCRIPT))
    out = {"torch": torch.__version__, "loss": ran["loss"].item(), "graph": recorded_graph(ran["loss"])}
    return out | {f"{name}.grad": ran[name].grad.tolist() for name in ("w2", "b2", "w3", "b3", "z2", "z3")}


def script() -> str:
    """The text of ``mazur_torch.py``, as chapter 9 prints it."""
    return SCRIPT.read_text(encoding="utf-8")


def recorded_graph(loss: Any) -> list[str]:
    """The operations autograd recorded, from the loss back (breadth first): each node's name,
    its ``grad_fn`` (``AccumulateGrad`` is a leaf's: it adds into ``.grad``)."""
    order, seen, todo = [], set(), [loss.grad_fn]
    while todo:
        fn = todo.pop(0)
        if fn is not None and fn not in seen:
            seen.add(fn)
            order.append(fn.name().replace("torch::autograd::", ""))
            todo += [parent for parent, _ in fn.next_functions]
    return order


def stored_mazur() -> dict[str, Any]:
    """The numbers :func:`mazur_backward` gave when they were stored (no torch needed)."""
    return json.loads(resources.files(__package__).joinpath(STORED).read_text(encoding="utf-8"))


def write_mazur(path: str | Path | None = None) -> Path:
    """Run :func:`mazur_backward` and store its numbers (by default beside this module)."""
    path = Path(path) if path is not None else Path(__file__).with_name(STORED)
    path.write_text(json.dumps(mazur_backward(), indent=1) + "\n", encoding="utf-8")
    return path


_ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu"}


def torch_backprop(net: Network, x: Any, y: Any) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """``(nabla_b, nabla_w, deltas)`` of ``net`` on x, y by PyTorch's autograd in float64, with
    the cost summed over the columns as :meth:`bpkit.Network.backprop` sums it; ``deltas[i]``
    is the .grad of z^(i+2), one column per example."""
    if not isinstance(net, Network):
        raise BpkitTypeError(f"torch_backprop needs a bpkit.Network as net; got {_short(net)}")
    torch = _torch()
    x, y = (torch.tensor(v, dtype=torch.float64) for v in net.check_xy(x, y))
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    a, zs = x, []
    for i, (w, b) in enumerate(zip(ws, bs)):
        z = w @ a + b  # b, a column, is added to every column of w a
        z.retain_grad()
        zs.append(z)
        name = (net.output_activation if i == len(ws) - 1 else net.activation).name
        a = torch.softmax(z, dim=0) if name == "softmax" else z if name == "identity" else getattr(torch, _ACTIVATIONS[name])(z)
    if net.cost.name == "quadratic":
        loss = 0.5 * ((a - y) ** 2).sum()
    elif net.cost.name == "cross_entropy":
        loss = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum()
    else:
        loss = -(y * torch.log(a)).sum()
    loss.backward()
    as_np = lambda t: t.grad.detach().numpy().copy()  # noqa: E731
    return [as_np(b) for b in bs], [as_np(w) for w in ws], [as_np(z) for z in zs]


if __name__ == "__main__":
    print(f"wrote {write_mazur()}")
