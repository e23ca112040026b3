"""The same gradients from PyTorch's autograd (float64), for comparison; bpkit never needs torch.

:func:`mazur_backward` is the PyTorch code chapter 9 shows: Mazur's network written with
tensors, ``loss.backward()``, and the gradients it leaves in ``.grad``. Its numbers are stored
in ``pytorch_mazur.json`` beside this file, which the chapter reads, so that the book builds
without torch; a test (tests/test_autodiff_torch.py) runs the code with torch and compares.
:func:`torch_backprop` does the same for any bpkit ``Network`` (tests only).

Regenerate the stored numbers, with torch installed: ``python -m bpkit.autodiff.pytorch``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError
from ..network import Network

STORED = "pytorch_mazur.json"
NO_TORCH = ("needs PyTorch, which bpkit does not install (the book reads its stored numbers instead): "
            "pip install torch (a CPU build is enough)")


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ImportError(f"bpkit.autodiff.pytorch {NO_TORCH}") from exc
    return torch


def mazur_backward() -> dict[str, Any]:
    """Mazur's pass in PyTorch, float64: loss.backward() and every .grad."""
    torch = _torch()
    f64 = dict(dtype=torch.float64)
    x = torch.tensor([0.05, 0.10], **f64)                     # a^1
    y = torch.tensor([0.01, 0.99], **f64)
    w2 = torch.tensor([[0.15, 0.20], [0.25, 0.30]], **f64,
                      requires_grad=True)                    # a leaf: .grad
    b2 = torch.tensor([0.35, 0.35], **f64, requires_grad=True)
    w3 = torch.tensor([[0.40, 0.45], [0.50, 0.55]], **f64,
                      requires_grad=True)
    b3 = torch.tensor([0.60, 0.60], **f64, requires_grad=True)

    z2 = w2 @ x + b2                  # the forward pass records its graph
    a2 = torch.sigmoid(z2)
    z3 = w3 @ a2 + b3
    a3 = torch.sigmoid(z3)
    loss = 0.5 * ((a3 - y) ** 2).sum()                        # C
    z2.retain_grad()                  # keep ∂C/∂z², which is δ²
    z3.retain_grad()
    loss.backward()                   # reverse mode, from C to the leaves

    return {"torch": torch.__version__, "loss": loss.item(),
            "graph": recorded_graph(loss),
            "w2.grad": w2.grad.tolist(), "b2.grad": b2.grad.tolist(),
            "w3.grad": w3.grad.tolist(), "b3.grad": b3.grad.tolist(),
            "z2.grad": z2.grad.tolist(), "z3.grad": z3.grad.tolist()}


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
