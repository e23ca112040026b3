"""Readers' code for the grader's tests: right implementations in three styles, and mutants.

Written the way learners write it (Nielsen's network.py, Ng's loop), independently of
bpkit.exercises.slips, so that the tests hold the grader to code it did not compute itself:

* ``RIGHT[task]``: right implementations in several styles: plain loops over the indices j, k
  and the examples, the matrix form, and np.einsum.
* ``mutant(task, key)``: the reader's function for ``task`` with exactly the catalogue's
  mistake ``key``, as a learner would write it.
"""

from __future__ import annotations

import numpy as np


# -- one equation at a time, three styles -------------------------------------------------------

def bp1_loops(a_L, y, z_L, sigma_prime):
    delta = np.zeros(z_L.shape)
    for j in range(z_L.shape[0]):
        for x in range(z_L.shape[1]):
            delta[j, x] = (a_L[j, x] - y[j, x]) * sigma_prime(z_L[j, x])
    return delta


def bp1_matrix(a_L, y, z_L, sigma_prime):
    return (a_L - y) * sigma_prime(z_L)


def bp1_einsum(a_L, y, z_L, sigma_prime):
    return np.einsum("jx,jx->jx", a_L - y, sigma_prime(z_L))


def bp2_loops(w_next, delta_next, z, sigma_prime):
    delta = np.zeros(z.shape)
    for j in range(z.shape[0]):
        for x in range(z.shape[1]):
            delta[j, x] = sum(w_next[k, j] * delta_next[k, x] for k in range(w_next.shape[0])) * sigma_prime(z[j, x])
    return delta


def bp2_matrix(w_next, delta_next, z, sigma_prime):
    return np.dot(w_next.transpose(), delta_next) * sigma_prime(z)


def bp2_einsum(w_next, delta_next, z, sigma_prime):
    return np.einsum("kj,kx->jx", w_next, delta_next) * sigma_prime(z)


def bp3_loops(delta):
    out = np.zeros((delta.shape[0], 1))
    for j in range(delta.shape[0]):
        for x in range(delta.shape[1]):
            out[j, 0] += delta[j, x]
    return out


def bp3_matrix(delta):
    return delta @ np.ones((delta.shape[1], 1))


def bp3_einsum(delta):
    return np.einsum("jx->j", delta)[:, None]


def bp4_loops(delta, a_prev):
    out = np.zeros((delta.shape[0], a_prev.shape[0]))
    for j in range(delta.shape[0]):
        for k in range(a_prev.shape[0]):
            out[j, k] = sum(a_prev[k, x] * delta[j, x] for x in range(delta.shape[1]))
    return out


def bp4_matrix(delta, a_prev):
    return np.dot(delta, a_prev.transpose())


def bp4_einsum(delta, a_prev):
    return np.einsum("jx,kx->jk", delta, a_prev)


# -- whole passes, three styles ----------------------------------------------------------------

def forward_matrix(weights, biases, x, sigma):
    activation, activations, zs = x, [x], []
    for b, w in zip(biases, weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigma(z)
        activations.append(activation)
    return zs, activations


def forward_loops(weights, biases, x, sigma):
    activations, zs = [x], []
    for w, b in zip(weights, biases):
        a = activations[-1]
        z = np.zeros((w.shape[0], x.shape[1]))
        for j in range(w.shape[0]):
            for i in range(x.shape[1]):
                z[j, i] = sum(w[j, k] * a[k, i] for k in range(w.shape[1])) + b[j, 0]
        zs.append(z)
        activations.append(sigma(z))
    return zs, activations


def forward_einsum(weights, biases, x, sigma):
    zs, activations = [], [x]
    for w, b in zip(weights, biases):
        zs.append(np.einsum("jk,kx->jx", w, activations[-1]) + b)
        activations.append(sigma(zs[-1]))
    return zs, activations


def backprop_matrix(weights, biases, x, y, sigma, sigma_prime, cost_derivative):
    """Nielsen's backprop, for a column or a matrix of columns (sums over them)."""
    zs, activations = forward_matrix(weights, biases, x, sigma)
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    delta = cost_derivative(activations[-1], y) * sigma_prime(zs[-1])
    nabla_b[-1] = delta.sum(axis=1, keepdims=True)
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())
    for l in range(2, len(weights) + 1):
        delta = np.dot(weights[-l + 1].transpose(), delta) * sigma_prime(zs[-l])
        nabla_b[-l] = delta.sum(axis=1, keepdims=True)
        nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
    return nabla_b, nabla_w


def backprop_loops(weights, biases, x, y, sigma, sigma_prime, cost_derivative):
    """Ng's loop over the examples, and loops over j, k inside BP2 and BP4."""
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    for i in range(x.shape[1]):
        zs, acts = forward_matrix(weights, biases, x[:, [i]], sigma)
        delta = cost_derivative(acts[-1], y[:, [i]]) * sigma_prime(zs[-1])
        for l in range(len(weights), 0, -1):  # Python index of w^(l+1)
            if l < len(weights):
                w_next, sp = weights[l], sigma_prime(zs[l - 1])
                delta = np.array([[sum(w_next[k, j] * delta[k, 0] for k in range(w_next.shape[0])) * sp[j, 0]]
                                  for j in range(w_next.shape[1])])
            nabla_b[l - 1] += delta
            a_prev = acts[l - 1]
            for j in range(delta.shape[0]):
                for k in range(a_prev.shape[0]):
                    nabla_w[l - 1][j, k] += a_prev[k, 0] * delta[j, 0]
    return nabla_b, nabla_w


def backprop_einsum(weights, biases, x, y, sigma, sigma_prime, cost_derivative):
    zs, acts = forward_einsum(weights, biases, x, sigma)
    deltas = [cost_derivative(acts[-1], y) * sigma_prime(zs[-1])]
    for w, z in zip(weights[:0:-1], zs[-2::-1]):
        deltas.insert(0, np.einsum("kj,kx->jx", w, deltas[0]) * sigma_prime(z))
    nabla_b = [np.einsum("jx->j", d)[:, None] for d in deltas]
    nabla_w = [np.einsum("jx,kx->jk", d, a) for d, a in zip(deltas, acts[:-1])]
    return nabla_b, nabla_w


def accumulate_loop(weights, biases, X, Y, backprop):
    Delta_b = [np.zeros(b.shape) for b in biases]
    Delta_w = [np.zeros(w.shape) for w in weights]
    for i in range(X.shape[1]):
        nabla_b, nabla_w = backprop(weights, biases, X[:, [i]], Y[:, [i]])
        Delta_b = [D + nb for D, nb in zip(Delta_b, nabla_b)]
        Delta_w = [D + nw for D, nw in zip(Delta_w, nabla_w)]
    return Delta_b, Delta_w


def accumulate_inplace(weights, biases, X, Y, backprop):
    Delta_b = [np.zeros_like(b) for b in biases]
    Delta_w = [np.zeros_like(w) for w in weights]
    for x, y in zip(X.T, Y.T):
        nabla_b, nabla_w = backprop(weights, biases, x.reshape(-1, 1), y.reshape(-1, 1))
        for D, nb in zip(Delta_b, nabla_b):
            D += nb
        for D, nw in zip(Delta_w, nabla_w):
            D += nw
    return Delta_b, Delta_w


def accumulate_einsum(weights, biases, X, Y, backprop):
    grads = [backprop(weights, biases, X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    Delta_b = [np.einsum("xjk->jk", np.stack([g[0][l] for g in grads])) for l in range(len(biases))]
    Delta_w = [np.einsum("xjk->jk", np.stack([g[1][l] for g in grads])) for l in range(len(weights))]
    return Delta_b, Delta_w


def sgd_step_matrix(weights, biases, X, Y, eta, backprop):
    nabla_b, nabla_w = backprop(weights, biases, X, Y)
    m = X.shape[1]
    return ([w - (eta / m) * nw for w, nw in zip(weights, nabla_w)],
            [b - (eta / m) * nb for b, nb in zip(biases, nabla_b)])


def sgd_step_loops(weights, biases, X, Y, eta, backprop):
    """Ng: accumulate example by example, then update once."""
    Delta_b = [np.zeros(b.shape) for b in biases]
    Delta_w = [np.zeros(w.shape) for w in weights]
    for i in range(X.shape[1]):
        nb, nw = backprop(weights, biases, X[:, [i]], Y[:, [i]])
        Delta_b = [D + d for D, d in zip(Delta_b, nb)]
        Delta_w = [D + d for D, d in zip(Delta_w, nw)]
    return ([w - eta / X.shape[1] * D for w, D in zip(weights, Delta_w)],
            [b - eta / X.shape[1] * D for b, D in zip(biases, Delta_b)])


def sgd_step_inplace(weights, biases, X, Y, eta, backprop):
    """Updates the arrays it is given (the grader passed copies, and says so) and returns them."""
    nabla_b, nabla_w = backprop(weights, biases, X, Y)
    for w, nw in zip(weights, nabla_w):
        w -= eta / X.shape[1] * nw
    for b, nb in zip(biases, nabla_b):
        b -= eta / X.shape[1] * nb
    return weights, biases


def _update_with(backprop_fn):
    def update_mini_batch(weights, biases, X, Y, eta, sigma, sigma_prime, cost_derivative):
        nabla_b, nabla_w = backprop_fn(weights, biases, X, Y, sigma, sigma_prime, cost_derivative)
        m = X.shape[1]
        return ([w - eta / m * nw for w, nw in zip(weights, nabla_w)],
                [b - eta / m * nb for b, nb in zip(biases, nabla_b)])
    return update_mini_batch


RIGHT = {
    "forward": {"loops": forward_loops, "matrix": forward_matrix, "einsum": forward_einsum},
    "bp1": {"loops": bp1_loops, "matrix": bp1_matrix, "einsum": bp1_einsum},
    "bp2": {"loops": bp2_loops, "matrix": bp2_matrix, "einsum": bp2_einsum},
    "bp3": {"loops": bp3_loops, "matrix": bp3_matrix, "einsum": bp3_einsum},
    "bp4": {"loops": bp4_loops, "matrix": bp4_matrix, "einsum": bp4_einsum},
    "backprop": {"loops": backprop_loops, "matrix": backprop_matrix, "einsum": backprop_einsum},
    "backprop_matrix": {"loops": backprop_loops, "matrix": backprop_matrix, "einsum": backprop_einsum},
    "accumulate": {"loops": accumulate_loop, "matrix": accumulate_inplace, "einsum": accumulate_einsum},
    "sgd_step": {"loops": sgd_step_loops, "matrix": sgd_step_matrix, "einsum": sgd_step_inplace},
    "update_mini_batch": {"loops": _update_with(backprop_loops), "matrix": _update_with(backprop_matrix),
                          "einsum": _update_with(backprop_einsum)},
}


# -- the mutants: each with one mistake, written as a learner writes it ------------------------

def _forward_mutant(key):
    def forward(weights, biases, x, sigma):
        activation = sigma(x) if key == "sigma_on_input" else x  # sigma_on_input: a^1 = σ(x)
        activations, zs = [activation], []
        for b, w in zip(biases, weights):
            z = np.dot(w, x if key == "forward_stale_activation" else activation) + b  # stale: x every time
            zs.append(z)
            activation = sigma(z)
            activations.append(activation)
        return zs, activations
    return forward


def _bias_sum(key, delta):
    if key == "bp3_not_summed":
        return delta
    if key == "bp3_wrong_axis":
        return np.sum(delta, axis=0)
    if key == "bp3_flat":
        return np.sum(delta, axis=1)
    if key == "bp3_total":
        return np.sum(delta)
    if key == "averaged_not_summed":
        return np.mean(delta, axis=1, keepdims=True)
    return np.sum(delta, axis=1, keepdims=True)


def _weight_product(key, delta, a):
    if key == "bp4_transposed":
        return np.dot(a, delta.T)
    if key == "bp4_outer":
        return np.outer(delta, a)
    if key == "averaged_not_summed":
        return np.dot(delta, a.T) / delta.shape[1]
    return np.dot(delta, a.T)


def _backprop_mutant(key, eta=None):
    """Nielsen's backprop with the one mistake ``key``; with ``eta``, it also updates the
    weights and biases as it walks back (for update_during_backward)."""
    def backprop(weights, biases, x, y, sigma, sigma_prime, cost_derivative):
        activation = sigma(x) if key == "sigma_on_input" else x
        activations, zs = [activation], []
        for b, w in zip(biases, weights):
            z = np.dot(w, x if key == "forward_stale_activation" else activation) + b
            zs.append(z)
            activation = sigma(z)
            activations.append(activation)
        nabla_b, nabla_w = [], []
        if key == "bp1_no_sigma_prime":
            delta = cost_derivative(activations[-1], y)
        elif key == "sigma_prime_of_a":
            delta = cost_derivative(activations[-1], y) * sigma_prime(activations[-1])
        elif key == "cost_sign":
            delta = cost_derivative(y, activations[-1]) * sigma_prime(zs[-1])
        else:
            delta = cost_derivative(activations[-1], y) * sigma_prime(zs[-1])
        for l in range(1, len(weights) + 1):  # Nielsen's l: 1 is the output layer
            if l > 1:
                w_next = weights[-l + 1]
                if key == "bp2_no_transpose":
                    back = np.dot(w_next, delta)
                else:
                    back = np.dot(w_next.transpose(), delta)
                if key == "bp2_no_sigma_prime":
                    delta = back
                elif key == "sigma_prime_of_a":
                    delta = back * sigma_prime(activations[-l])
                elif key == "backward_stale_z":
                    delta = back * sigma_prime(z)  # z: what the forward loop left, z^L
                else:
                    delta = back * sigma_prime(zs[-l])
            a = activations[-l] if key == "bp4_wrong_layer" else activations[-l - 1]
            nabla_b.append(_bias_sum(key, delta))
            nabla_w.append(_weight_product(key, delta, a))
            if eta is not None:  # update_during_backward: step this layer right away
                weights[-l] = weights[-l] - eta / x.shape[1] * nabla_w[-1]
                biases[-l] = biases[-l] - eta / x.shape[1] * nabla_b[-1]
        if key != "gradients_reversed":
            nabla_b.reverse()
            nabla_w.reverse()
        return nabla_b, nabla_w
    return backprop


def _accumulate_mutant(key):
    def accumulate(weights, biases, X, Y, backprop):
        Delta_b = [np.zeros(b.shape) for b in biases]
        Delta_w = [np.zeros(w.shape) for w in weights]
        for i in range(X.shape[1]):
            nabla_b, nabla_w = backprop(weights, biases, X[:, [i]], Y[:, [i]])
            if key == "accumulate_assign":
                Delta_b = [nb for nb in nabla_b]
                Delta_w = [nw for nw in nabla_w]
            else:
                Delta_b = [D + nb for D, nb in zip(Delta_b, nabla_b)]
                Delta_w = [D + nw for D, nw in zip(Delta_w, nabla_w)]
        if key == "averaged_not_summed":
            Delta_b = [D / X.shape[1] for D in Delta_b]
            Delta_w = [D / X.shape[1] for D in Delta_w]
        return Delta_b, Delta_w
    return accumulate


def _step(key, weights, biases, nabla_b, nabla_w, eta, X):
    if key == "update_sign":
        rate = -eta / X.shape[1]
    elif key == "not_averaged":
        rate = eta
    elif key == "m_from_rows":
        rate = eta / len(X)
    else:
        rate = eta / X.shape[1]
    return ([w - rate * nw for w, nw in zip(weights, nabla_w)], [b - rate * nb for b, nb in zip(biases, nabla_b)])


def _sgd_mutant(key):
    def sgd_step(weights, biases, X, Y, eta, backprop):
        if key == "online_update":
            for i in range(X.shape[1]):
                nb, nw = backprop(weights, biases, X[:, [i]], Y[:, [i]])
                weights = [w - eta / X.shape[1] * d for w, d in zip(weights, nw)]
                biases = [b - eta / X.shape[1] * d for b, d in zip(biases, nb)]
            return weights, biases
        nabla_b, nabla_w = backprop(weights, biases, X, Y)
        return _step(key, weights, biases, nabla_b, nabla_w, eta, X)
    return sgd_step


def _update_mutant(key):
    def update_mini_batch(weights, biases, X, Y, eta, sigma, sigma_prime, cost_derivative):
        if key == "update_during_backward":
            weights, biases = list(weights), list(biases)
            _backprop_mutant(None, eta)(weights, biases, X, Y, sigma, sigma_prime, cost_derivative)
            return weights, biases
        if key == "online_update":
            for i in range(X.shape[1]):
                nb, nw = backprop_matrix(weights, biases, X[:, [i]], Y[:, [i]], sigma, sigma_prime, cost_derivative)
                weights = [w - eta / X.shape[1] * d for w, d in zip(weights, nw)]
                biases = [b - eta / X.shape[1] * d for b, d in zip(biases, nb)]
            return weights, biases
        nabla_b, nabla_w = _backprop_mutant(key)(weights, biases, X, Y, sigma, sigma_prime, cost_derivative)
        return _step(key, weights, biases, nabla_b, nabla_w, eta, X)
    return update_mini_batch


def _one_equation_mutant(task, key):
    if task == "bp1":
        def bp1(a_L, y, z_L, sigma_prime):
            if key == "bp1_no_sigma_prime":
                return a_L - y
            if key == "sigma_prime_of_a":
                return (a_L - y) * sigma_prime(a_L)
            return (y - a_L) * sigma_prime(z_L)  # cost_sign
        return bp1
    if task == "bp2":
        def bp2(w_next, delta_next, z, sigma_prime):
            if key == "bp2_no_transpose":
                return np.dot(w_next, delta_next) * sigma_prime(z)
            return np.dot(w_next.T, delta_next)  # bp2_no_sigma_prime
        return bp2
    if task == "bp3":
        return lambda delta: _bias_sum(key, delta)
    return lambda delta, a_prev: _weight_product(key, delta, a_prev)


def mutant(task: str, key: str):
    """The reader's function for ``task`` with exactly the mistake ``key``."""
    if task == "forward":
        return _forward_mutant(key)
    if task in ("bp1", "bp2", "bp3", "bp4"):
        return _one_equation_mutant(task, key)
    if task in ("backprop", "backprop_matrix"):
        return _backprop_mutant(key)
    if task == "accumulate":
        return _accumulate_mutant(key)
    if task == "sgd_step":
        return _sgd_mutant(key)
    return _update_mutant(key)
