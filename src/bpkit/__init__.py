"""bpkit: backpropagation, step by step.

A small NumPy library written in the notation of Nielsen's *Neural Networks and Deep
Learning*, chapter 2: w^l_jk, b^l_j, z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), and the four
fundamental equations BP1–BP4 as four functions. Every error it raises is a
:class:`bpkit.errors.BpkitError` (also a ValueError, TypeError or IndexError).
"""

from . import activations, costs, data, equations, errors, gradcheck, trace as _trace_module  # noqa: F401
from .activations import Activation, get_activation
from .costs import Cost, get_cost
from .data import Dataset, blobs, circles, load_digits, load_mnist, one_hot, spirals, xor
from .equations import (
    BP1, BP2, BP3, BP4, backpropagate_error, backprop, bias_gradient, hadamard, output_error, weight_gradient,
)
from .gradcheck import GradientCheck, gradient_check, numerical_gradient, relative_error
from .network import Network
from .trace import Step, Trace, trace
from .train import History, sgd

__version__ = "0.1.0"

__all__ = [
    "Activation", "BP1", "BP2", "BP3", "BP4", "Cost", "Dataset", "GradientCheck", "History", "Network",
    "Step", "Trace", "backprop", "backpropagate_error", "bias_gradient", "blobs", "circles", "get_activation", "get_cost",
    "gradient_check", "hadamard", "load_digits", "load_mnist", "numerical_gradient", "one_hot",
    "output_error", "relative_error", "sgd", "spirals", "trace", "weight_gradient", "xor",
]
