"""The catalogue: mistakes learners really make when they write backpropagation.

Each :class:`Mistake` says, in the book's notation, what the slipped code computes and what it
should, which section to reread, and where learners were seen making it: public issue threads
of tutorials, books' code and small libraries (ports of Nielsen's network.py, micrograd's
lecture notebooks, Grokking Deep Learning, Make Your Own Neural Network, deeplearning4j, ...),
each one checked to show the mistake itself. How each one changes the numbers is in
:mod:`bpkit.exercises.slips`; the grader recognises a mistake when the reader's output equals
what bpkit computes with that slip, on every network it tries.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The chapters a diagnosis sends the reader back to: file name and title.
CHAPTERS = {
    "04_hadamard": "chapter 4, The Hadamard product",
    "05_four_equations": "chapter 5, The four fundamental equations",
    "07_algorithm": "chapter 7, The algorithm",
    "10_training": "chapter 10, Training a network",
    "02_notation": "chapter 2, Notation",
}


@dataclass(frozen=True)
class Mistake:
    """One mistake of the catalogue.

    Attributes:
        key: its name in :data:`CATALOGUE` (and in :mod:`~bpkit.exercises.slips`).
        title: the mistake in a line, in the book's notation.
        computes: what the code with this mistake computes, as a formula.
        fix: what it should compute, and how to fix it.
        symptom: what one sees when a network is trained with it (the debugging chapter's
            checklist).
        reread: (chapter file, section title) to reread.
        evidence: public threads where learners made it (empty when none was found that
            shows this very mistake: see ``bpkit.exercises.mistakes.UNSEEN``).
        square_only: the mistake makes the code raise on networks whose layers differ in size
            (as the grader's are); it can be named only from a network whose layers all have
            the same size, which the grader then tries.
    """

    key: str
    title: str
    computes: str
    fix: str
    symptom: str
    reread: tuple[str, str]
    evidence: tuple[str, ...] = ()
    square_only: bool = False

    @property
    def where_to_reread(self) -> str:
        doc, section = self.reread
        return f"{CHAPTERS[doc]}: \u201c{section}\u201d"

    def __repr__(self) -> str:
        return f"Mistake({self.key!r}: {self.title})"


_BP1 = ("05_four_equations", "BP1: the error of the output layer")
_BP2 = ("05_four_equations", "BP2: the error, one layer back")
_BP34 = ("05_four_equations", "BP3 and BP4: the gradients of the biases and the weights")
_NG = ("07_algorithm", "Ng's pseudocode, line by line")
_MATRIX = ("07_algorithm", "The matrix form")
_HADAMARD = ("04_hadamard", "In NumPy, and why bpkit has its own")
_LAYERS = ("02_notation", "Layers, weights, biases, activations")
_SCRATCH = ("07_algorithm", "The whole algorithm, from scratch")
_ETA = ("10_training", "The learning rate η")
_M = ("10_training", "The mini-batch size m")

_MISTAKES = [
    # -- the forward pass --------------------------------------------------------------------
    Mistake(
        "forward_stale_activation", "every layer is fed the input x, not the activation of the layer before",
        "z^l = w^l x + b^l for every l (the variable holding a^(l−1) is never updated)",
        "z^l = w^l a^(l−1) + b^l: inside the loop, feed each layer the activation the previous "
        "layer just computed (activation = sigma(z), then use activation).",
        "a shape error as soon as two layers differ in size; with layers all of one size it "
        "runs, but every layer sees only the input, never the layer before it: the gradient "
        "check fails from ∂C/∂b^L on, and the network learns far less",
        _LAYERS, ("https://github.com/EndingCredits/Neural-Episodic-Control/pull/3",),
        square_only=True),
    Mistake(
        "sigma_on_input", "σ applied to the input: a^1 = σ(x)",
        "a^1 = σ(x), so z^2 = w^2 σ(x) + b^2",
        "the input layer has no weights, no biases and no activation function: a^1 = x, "
        "and σ starts at layer 2, a^l = σ(z^l) for l = 2, ..., L.",
        "the network still learns, more slowly, from squashed inputs (σ maps every input into "
        "(0, 1): an input of 0 becomes ½); the gradient check fails from ∂C/∂b^L on",
        _LAYERS, ("https://github.com/levithomason/anny/issues/31",)),
    # -- BP1 ---------------------------------------------------------------------------------
    Mistake(
        "bp1_no_sigma_prime", "BP1 without the factor σ'(z^L)",
        "δ^L = ∇_a C (for the quadratic cost: δ^L = a^L − y, Ng's formula, which belongs to the cross-entropy cost)",
        "δ^L = ∇_a C ⊙ σ'(z^L): multiply by the derivative of the output activation. Only the "
        "cross-entropy cost with sigmoid outputs cancels it, leaving a^L − y.",
        "training still works (the sign of every δ^L_j is right: it follows the gradient of "
        "another cost); the gradient check fails in every layer: in layer L each δ^L_j is too "
        "large by 1/σ'(z^L_j) ≥ 4, a factor that differs per neuron and example",
        _BP1, ("https://github.com/Bot-Academy/NeuralNetworkFromScratch/pull/3",
               "https://github.com/hunkim/DeepLearningZeroToAll/pull/113",
               "https://github.com/jiexunsee/Neural-Network-with-Python/issues/1")),
    Mistake(
        "sigma_prime_of_a", "σ'(a^l) where σ'(z^l) belongs",
        "δ^L = ∇_a C ⊙ σ'(a^L) and δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(a^l): σ' applied to the "
        "activation a = σ(z), which applies σ twice",
        "take σ' at the weighted input: σ'(z^l). (For the sigmoid, σ'(z) = a(1 − a) is right; "
        "σ'(a) is not.)",
        "the network still learns, at first even faster (for the sigmoid σ'(a) stays between "
        "0.19 and 0.25 and never saturates), but ends at a worse cost; the gradient check fails "
        "in every layer, by relative errors from tens of percent to more than 1 (a wrong sign)",
        _BP1, ("https://github.com/dwhitena/gophernet/issues/6",
               "https://github.com/benoitfragit/libBrain/issues/78",
               "https://github.com/deeplearning4j/deeplearning4j/pull/364")),
    Mistake(
        "cost_sign", "cost_derivative's arguments swapped (for the quadratic cost: y − a^L instead of a^L − y)",
        "δ^L = cost_derivative(y, a^L) ⊙ σ'(z^L): the arguments swapped (for the quadratic "
        "cost, y − a^L)",
        "∇_a C = a^L − y for the quadratic cost C = ½‖y − a^L‖², because ∂C/∂a^L_j = a^L_j − y_j. "
        "Call cost_derivative(activations[-1], y).",
        "the cost rises instead of falling: for the quadratic cost every gradient has the wrong "
        "sign, so training climbs (gradient ascent) until the outputs saturate at wrong answers",
        _BP1, ("https://github.com/dragen1860/Deep-Learning-with-TensorFlow-book/issues/134",)),
    # -- BP2 ---------------------------------------------------------------------------------
    Mistake(
        "bp2_no_transpose", "BP2 without the transpose: w^(l+1) δ^(l+1)",
        "δ^l = (w^(l+1) δ^(l+1)) ⊙ σ'(z^l)",
        "δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l): the transpose sends each error back along the "
        "connection it came from, times the same weight.",
        "a shape error as soon as two layers differ in size; with layers all of one size it "
        "runs, the gradient check fails from ∂C/∂b^(L−1) on, and the network learns little or nothing",
        _BP2, (),
        square_only=True),
    Mistake(
        "bp2_no_sigma_prime", "BP2 without the factor σ'(z^l)",
        "δ^l = (w^(l+1))^T δ^(l+1)",
        "δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l): the error also passes back through the "
        "activation of layer l.",
        "the output layer's gradients are right and every hidden layer's are wrong: the "
        "gradient check fails from layer L − 1 down",
        _BP2, ("https://github.com/makeyourownneuralnetwork/makeyourownneuralnetwork/issues/88",)),
    Mistake(
        "backward_stale_z", "BP2 uses the z left over from the forward pass, z^L, in every layer",
        "δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^L): the variable z still holds the output layer's "
        "weighted input",
        "use z^l, the weighted input of layer l: zs[-l] in Nielsen's loop.",
        "a shape error as soon as two layers differ in size; with layers of one size it runs, "
        "the gradient check fails from ∂C/∂b^(L−1) on, and the network learns more slowly",
        _BP2, (), square_only=True),
    # -- BP3 ---------------------------------------------------------------------------------
    Mistake(
        "bp3_not_summed", "BP3 not summed over the mini-batch: ∂C/∂b^l = δ^l, one column per example",
        "∂C/∂b^l = δ^l of shape (n_l, m)",
        "sum the columns: Σ_x δ^l_x = δ^l 1, of shape (n_l, 1), e.g. delta.sum(axis=1, keepdims=True).",
        "no error at first: b^l − η ∂C/∂b^l silently broadcasts the column b^l into a matrix "
        "of m columns, and the network breaks later (or for a last mini-batch of another size)",
        _MATRIX, ("https://github.com/jimfleming/differentiation/issues/1",)),
    Mistake(
        "bp3_wrong_axis", "BP3 summed over the neurons instead of the examples (axis=0)",
        "∂C/∂b^l = Σ_j δ^l_j, one number per example, of shape (m,)",
        "sum over the examples, the columns: delta.sum(axis=1, keepdims=True), shape (n_l, 1).",
        "silent broadcasting in the update (b^l becomes a matrix), or a shape error",
        _MATRIX, ("https://github.com/deeplearning4j/deeplearning4j/pull/364",)),
    Mistake(
        "bp3_flat", "BP3 summed without keepdims: a 1-D (n_l,) where a column (n_l, 1) belongs",
        "∂C/∂b^l = delta.sum(axis=1), of shape (n_l,)",
        "keep the column: delta.sum(axis=1, keepdims=True). A column (n, 1) minus a 1-D (n,) "
        "broadcasts to an (n, n) matrix, silently.",
        "b^l − η ∂C/∂b^l becomes an (n_l, n_l) matrix: every later z^l has the wrong shape",
        _HADAMARD, ("https://github.com/jimfleming/differentiation/issues/1",)),
    Mistake(
        "bp3_total", "BP3 summed over everything: one number for the whole layer",
        "∂C/∂b^l = Σ_j Σ_x δ^l_jx (np.sum(delta), no axis)",
        "sum over the examples only: delta.sum(axis=1, keepdims=True).",
        "every bias of a layer takes the same step: the biases cannot tell the neurons apart "
        "(the weights can make up for it, so the network may still learn)",
        _MATRIX, ("https://github.com/rasbt/stat453-deep-learning-ss21/issues/5",)),
    Mistake(
        "averaged_not_summed", "the mean over the mini-batch where the sum belongs",
        "∂C/∂b^l = (1/m) Σ_x δ^l_x (and ∂C/∂w^l likewise)",
        "backprop returns the sums Σ_x ∂C_x/∂w; the update divides by m once, w − (η/m) Σ_x. "
        "Dividing here too divides twice.",
        "learning m times slower than intended (it looks like a learning rate η/m); the "
        "gradient check fails in every array with the same relative error, 1 − 1/m",
        _NG, ("https://github.com/kvfrans/notes/issues/5",
              "https://github.com/deeplearning4j/deeplearning4j/pull/366")),
    # -- BP4 ---------------------------------------------------------------------------------
    Mistake(
        "bp4_transposed", "∂C/∂w^l_jk and ∂C/∂w^l_kj swapped in BP4: a^(l−1) (δ^l)^T",
        "∂C/∂w^l = a^(l−1) (δ^l)^T, of shape (n_(l−1), n_l): the transpose of the right matrix",
        "∂C/∂w^l_jk = a^(l−1)_k δ^l_j, i.e. δ^l (a^(l−1))^T: row j is the neuron the weight goes "
        "to, column k the neuron it comes from.",
        "a shape error when layers differ in size; with layers of one size the gradient "
        "check fails on every weight off the diagonal, and the network learns little",
        _BP34, ("https://github.com/iamtrask/Grokking-Deep-Learning/pull/22",
                "https://github.com/iamtrask/Grokking-Deep-Learning/issues/23")),
    Mistake(
        "bp4_wrong_layer", "a^l where a^(l−1) belongs in BP4",
        "∂C/∂w^l = δ^l (a^l)^T (activations[-l] where activations[-l-1] belongs)",
        "the weight w^l_jk carries a^(l−1)_k, the activation of the layer before: "
        "∂C/∂w^l = δ^l (a^(l−1))^T.",
        "∂C/∂w^l has the shape (n_l, n_l) instead of (n_l, n_(l−1)): a shape error in the "
        "update, or with layers of one size a network that does not learn",
        _BP34, ()),
    Mistake(
        "bp4_outer", "np.outer for BP4 with a mini-batch",
        "∂C/∂w^l = np.outer(δ^l, a^(l−1)), which flattens both: an (n_l m, n_(l−1) m) matrix",
        "np.outer is right for one example only; for a mini-batch, δ^l (a^(l−1))^T sums the m "
        "outer products: delta @ a_prev.T.",
        "right with m = 1, a shape error (or silent nonsense) with m > 1",
        _MATRIX, ("https://github.com/explosion/thinc/pull/29",)),
    Mistake(
        "gradients_reversed", "the gradient lists run from layer L down to layer 2",
        "nabla_b = [∂C/∂b^L, ..., ∂C/∂b^2] (appended while walking backwards)",
        "nabla_b[i] and nabla_w[i] belong to layer l = i + 2, like biases[i] and weights[i]: "
        "fill them by index (nabla_b[-l] = ...) or reverse the lists at the end.",
        "a shape error in the update, or with layers of one size each layer steps along "
        "another layer's gradient, and the network does not learn",
        _SCRATCH, ()),
    # -- accumulating, Ng's loop --------------------------------------------------------------
    Mistake(
        "accumulate_assign", "= instead of += when accumulating",
        "Δw^l = the last example's ∂C_x/∂w^l only, and Δb^l likewise (each example overwrites the one before)",
        "Δw^l += δ^l (a^(l−1))^T: add each example's gradient to the accumulator.",
        "each mini-batch steps along its last example's gradient alone, divided by m: far "
        "slower, noisier learning; the gradient check of the loop on a mini-batch fails from "
        "∂C/∂b^L on",
        _NG, ("https://github.com/karpathy/nn-zero-to-hero/issues/52",)),
    # -- the update ----------------------------------------------------------------------------
    Mistake(
        "update_sign", "the update's sign: w + η ∇C instead of w − η ∇C",
        "w^l → w^l + (η/m) Σ_x ∂C_x/∂w^l (gradient ascent)",
        "step against the gradient: w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l, and the same for b^l.",
        "the cost rises instead of falling (gradient ascent), until the outputs saturate at "
        "wrong answers",
        _ETA, ("https://github.com/pytorch/pytorch/issues/1871",)),
    Mistake(
        "not_averaged", "the mini-batch summed but not averaged: w − η Σ_x ∂C_x/∂w",
        "w^l → w^l − η Σ_x ∂C_x/∂w^l (no 1/m)",
        "divide the summed gradient by the m examples of the mini-batch: w^l − (η/m) Σ_x ∂C_x/∂w^l.",
        "steps m times too large: with a learning rate that worked for m = 1, training "
        "diverges or saturates for larger mini-batches",
        _M, ("https://github.com/ageron/handson-ml/issues/179",
             "https://github.com/davidstutz/matlab-mnist-two-layer-perceptron/issues/1")),
    Mistake(
        "m_from_rows", "m taken as len(X), the rows of X (n_1 inputs), not its columns (examples)",
        "w^l → w^l − (η/n_1) Σ_x ∂C_x/∂w^l",
        "with one column per example, m = X.shape[1]; len(X) is X.shape[0] = n_1.",
        "the step is m/n_1 times the intended one: on the digits (n_1 = 64, m = 10) about six "
        "times too small",
        _M, ("https://github.com/logix-project/logix/pull/80",)),
    Mistake(
        "online_update", "the weights updated after every example, inside the loop",
        "for each x: w^l → w^l − (η/m) ∂C_x/∂w^l, each gradient taken at the weights the "
        "previous example left",
        "accumulate the m gradients first (all at the same weights), then update once: "
        "w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l.",
        "close to right for small η, but not the algorithm: the result depends on the order "
        "of the examples",
        _NG, ("https://github.com/davidstutz/matlab-mnist-two-layer-perceptron/issues/3",)),
    Mistake(
        "update_during_backward", "w^(l+1) updated before BP2 used it",
        "walking back, w^(l+1) is stepped first, and δ^l = ((w^(l+1)_new)^T δ^(l+1)) ⊙ σ'(z^l) "
        "then uses the new weights",
        "compute every gradient with the weights of the forward pass, then update: keep "
        "BP2's (w^(l+1))^T δ^(l+1) before the update of w^(l+1).",
        "it still learns, but the hidden layers follow the gradient of a network that no "
        "longer exists; the gradient check (which never updates) cannot see it",
        _NG, ("https://github.com/Bot-Academy/NeuralNetworkFromScratch/pull/3",
              "https://github.com/kim-marcel/basic_neural_network/issues/7",
              "https://github.com/joelgrus/data-science-from-scratch/issues/31",
              "https://github.com/CodingTrain/Toy-Neural-Network-JS/issues/72",
              "https://github.com/VikParuchuri/zero_to_gpt/issues/12",
              "https://github.com/LxMLS/lxmls-guide/issues/115")),
]

#: Every mistake, by key.
CATALOGUE: dict[str, Mistake] = {m.key: m for m in _MISTAKES}

#: The mistakes with no public thread that shows them (searched for; threads that only question
#: right code, or show a neighbouring slip, are not cited): why each is in the catalogue anyway.
UNSEEN: dict[str, str] = {
    "backward_stale_z": "the slip of Nielsen's loop when `z = zs[-l]` is left out, so that `z` keeps "
                        "z^L from the forward pass; no thread was found that shows it",
    "bp4_wrong_layer": "an off-by-one in the list of activations (activations[-l] for activations[-l-1]); "
                       "the threads found only question a tutorial's other numbering of the layers",
    "bp2_no_transpose": "w^(l+1) δ^(l+1) where the transpose belongs, a slip every shape error of "
                        "BP2 starts from; the threads found only ask why a tutorial transposes at all",
    "gradients_reversed": "the gradient lists filled while walking backwards and used in forward order; "
                          "the threads found show that order slip only in explanation tools' hooks "
                          "(Grad-CAM, attention rollout), never in an update",
}
