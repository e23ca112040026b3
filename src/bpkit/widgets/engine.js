/* bpkit widgets: the in-page engine, a small mirror of bpkit in plain JavaScript.
 *
 * The static book has no kernel, so a figure that must compute in the page (move a weight,
 * take a training step) computes here. Every function mirrors one function of bpkit, in the
 * same order of operations, and tests/widgets/test_engine_parity.py holds it to bpkit's
 * numbers (relative 1e-12) and strings (identical) on hundreds of random networks.
 *
 * Like _common.js this is plain script, no import/export: bpkit/widgets/_base.py puts
 * _common.js, then this file, then the widget's own file into ONE ES module. Every name
 * starts with bp / BP_ so it never clashes with a widget's own names.
 *
 * Layout (that of bpkit.Trace.to_dict()): a matrix is an array of rows, w[j][k]; a column is
 * [[v1], [v2], ...]; a scalar such as C_x is [[c]]. A network is
 *   { sizes: [n1, ..., nL], weights: [w^2, ..., w^L], biases: [b^2, ..., b^L],
 *     activation, output_activation, cost }   (names as in bpkit)
 * and, as in bpkit's Python lists, weights[l - 2] is the book's w^l. One example is one
 * column of x; several columns are a mini-batch, whose gradients are SUMS over the columns.
 * See /work/coord/ENGINE_API.md (the contract) and bpkit.widgets.engine (the Python side).
 */

// ---- Matrices, as arrays of rows ------------------------------------------------------------

/** [rows, columns] of a matrix. */
function bpShape(A) {
  return [A.length, A.length ? A[0].length : 0];
}

/** A new matrix f(A[j][k]) entry by entry (f(A[j][k], B[j][k]) with a second matrix B). */
function bpMap(A, f, B = null) {
  return A.map((row, j) => row.map((v, k) => (B === null ? f(v) : f(v, B[j][k]))));
}

/** The matrix product A B: (A B)_jk = Σ_i A_ji B_ik, summed in the order i = 1, 2, .... */
function bpMatmul(A, B) {
  const n = B.length, m = n ? B[0].length : 0;
  return A.map((row) => {
    const out = new Array(m).fill(0);
    for (let k = 0; k < m; k += 1) {
      let s = 0;
      for (let i = 0; i < n; i += 1) s += row[i] * B[i][k];
      out[k] = s;
    }
    return out;
  });
}

/** The transpose A^T. */
function bpTranspose(A) {
  const [r, c] = bpShape(A);
  return Array.from({ length: c }, (_, k) => Array.from({ length: r }, (_, j) => A[j][k]));
}

/** A copy of a matrix (or of a list of matrices: pass it to .map). */
function bpCopy(A) {
  return A.map((row) => row.slice());
}

/** Σ over the columns of A, one column: (A 1)_j = Σ_x A_jx (BP3's sum over a mini-batch). */
function bpSumColumns(A) {
  return A.map((row) => [row.reduce((s, v) => s + v, 0)]);
}

/** Σ of every entry, row by row (NumPy's np.sum of a small array). */
function bpSumAll(A) {
  let s = 0;
  for (const row of A) for (const v of row) s += v;
  return s;
}

/** Python's f"{v:g}": 6 significant digits, trailing zeros dropped, an exponent (e-05, e+06)
 * below 1e-4 or from 1e6 on, ties rounded to even as Python does. */
function bpFormatG(v) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const sign = v < 0 ? "-" : "";
  // The decimal digits of |v|, exact to 100 significant digits (a double's tie at the 7th
  // digit is an exact, short expansion, so it is seen).
  const [mant, ex] = Math.abs(v).toExponential(99).split("e");
  let digits = mant.replace(".", "").replace(/0+$/, "") || "0";
  let exp = Number(ex);
  if (digits.length > 6) {
    const head = digits.slice(0, 6), next = Number(digits[6]), rest = /[1-9]/.test(digits.slice(7));
    const up = next > 5 || (next === 5 && (rest || Number(head[5]) % 2 === 1));
    let n = BigInt(head) + (up ? 1n : 0n);
    if (String(n).length > 6) { n /= 10n; exp += 1; }
    digits = String(n).replace(/0+$/, "") || "0";
  }
  if (exp >= -4 && exp < 6) {
    let s;
    if (exp >= 0) {
      const whole = digits.padEnd(exp + 1, "0");
      s = whole.slice(0, exp + 1) + (whole.length > exp + 1 ? "." + whole.slice(exp + 1) : "");
    } else {
      s = "0." + "0".repeat(-exp - 1) + digits;
    }
    return sign + s;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

// ---- Activations σ (bpkit/activations.py) ---------------------------------------------------

/** σ(z) = 1 / (1 + e^(−z)). */
function bpSigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

/** An element-wise activation: fn and prime take a number, or a matrix entry by entry. */
function bpElementwise(name, latex, f, fPrime, backward = null) {
  const lift = (g) => (z) => (typeof z === "number" ? g(z) : bpMap(z, g));
  const fn = lift(f), prime = lift(fPrime);
  return {
    name, latex, elementwise: true, fn, prime,
    /** g ⊙ σ'(z), the Hadamard product of BP1 and BP2 (a = σ(z), if kept, saves work). */
    backward: backward || ((z, a, g) => bpMap(g, (gj, zj) => gj * fPrime(zj), z)),
  };
}

const BP_ACTIVATIONS = {
  // σ'(z) = σ(z) (1 − σ(z)), computed as (1 − σ) σ from a = σ(z) when the forward pass kept it.
  sigmoid: bpElementwise("sigmoid", "\\sigma", bpSigmoid, (z) => { const s = bpSigmoid(z); return (1 - s) * s; },
    (z, a, g) => bpMap(a === null ? bpMap(z, bpSigmoid) : a, (s, gj) => (1 - s) * s * gj, g)),
  // tanh'(z) = 1 − tanh²(z), from a = tanh(z) when kept.
  tanh: bpElementwise("tanh", "\\tanh", Math.tanh, (z) => { const t = Math.tanh(z); return 1 - t * t; },
    (z, a, g) => bpMap(a === null ? bpMap(z, Math.tanh) : a, (t, gj) => (1 - t * t) * gj, g)),
  // ReLU(z) = max(0, z); ReLU'(z) = 1 for z > 0, else 0 (the sub-gradient 0 at z = 0).
  relu: bpElementwise("relu", "\\operatorname{ReLU}", (z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0)),
  // id(z) = z; id'(z) = 1.
  identity: bpElementwise("identity", "\\operatorname{id}", (z) => z, () => 1),
  softmax: {
    name: "softmax", latex: "\\operatorname{softmax}", elementwise: false,
    /** softmax(z)_j = e^(z_j) / Σ_k e^(z_k), column by column, shifted by max(z) for stability. */
    fn(z) {
      const [r, c] = bpShape(z);
      const a = bpCopy(z);
      for (let x = 0; x < c; x += 1) {
        let top = -Infinity;
        for (let j = 0; j < r; j += 1) top = Math.max(top, z[j][x]);
        let sum = 0;
        for (let j = 0; j < r; j += 1) { a[j][x] = Math.exp(z[j][x] - top); sum += a[j][x]; }
        for (let j = 0; j < r; j += 1) a[j][x] /= sum;
      }
      return a;
    },
    prime() {
      throw new Error("softmax is not element-wise: it has a Jacobian, not a derivative σ'(z)");
    },
    /** (∂a/∂z)^T g with ∂a_i/∂z_j = a_i (1[i=j] − a_j): a ⊙ (g − Σ_i a_i g_i), column by column. */
    backward(z, a, g) {
      if (a === null) a = BP_ACTIVATIONS.softmax.fn(z);
      const [r, c] = bpShape(g);
      const out = bpCopy(g);
      for (let x = 0; x < c; x += 1) {
        let s = 0;
        for (let i = 0; i < r; i += 1) s += a[i][x] * g[i][x];
        for (let j = 0; j < r; j += 1) out[j][x] = a[j][x] * (g[j][x] - s);
      }
      return out;
    },
  },
};

// ---- Costs C_x (bpkit/costs.py): fn sums C_x over the columns ---------------------------

/** x ln y with 0 ln 0 = 0. */
function bpXlogy(x, y) {
  return x === 0 ? 0 : x * Math.log(y);
}

const BP_COSTS = {
  quadratic: {
    name: "quadratic", simplifiedFor: ["identity"],
    latex: "C_x = \\tfrac{1}{2} \\lVert y - a^L \\rVert^2",
    /** Σ_x ½ ‖y − a^L‖². */
    fn: (a, y) => 0.5 * bpSumAll(bpMap(a, (aj, yj) => (aj - yj) * (aj - yj), y)),
    /** ∇_a C_x = a^L − y. */
    derivative: (a, y) => bpMap(a, (aj, yj) => aj - yj, y),
  },
  cross_entropy: {
    name: "cross_entropy", simplifiedFor: ["sigmoid"],
    latex: "C_x = -\\sum_j \\left[ y_j \\ln a^L_j + (1 - y_j) \\ln (1 - a^L_j) \\right]",
    /** Σ_x −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]. */
    fn: (a, y) => -bpSumAll(bpMap(a, (aj, yj) => bpXlogy(yj, aj) + bpXlogy(1 - yj, 1 - aj), y)),
    /** ∇_a C_x = (a − y) / (a (1 − a)). */
    derivative: (a, y) => bpMap(a, (aj, yj) => (aj - yj) / (aj * (1 - aj)), y),
  },
  log_likelihood: {
    name: "log_likelihood", simplifiedFor: ["softmax"],
    latex: "C_x = -\\sum_j y_j \\ln a^L_j",
    /** Σ_x −Σ_j y_j ln a_j. */
    fn: (a, y) => -bpSumAll(bpMap(a, (aj, yj) => bpXlogy(yj, aj), y)),
    /** ∇_a C_x = −y / a. */
    derivative: (a, y) => bpMap(a, (aj, yj) => -yj / aj, y),
  },
};

/** True when δ^L = a^L − y exactly (sigmoid + cross-entropy, softmax + log-likelihood,
 * identity + quadratic): σ' cancels in BP1. */
function bpSimplifiedOutputError(cost, outputActivation) {
  return cost.simplifiedFor.includes(outputActivation.name);
}

// ---- Checks, with messages in the book's notation (bpkit/_validate.py) ---------------------

function bpLayerName(l, L) {
  if (l === 1) return "layer l=1 (the input layer)";
  if (l === L) return `layer l=${l} (the output layer L)`;
  return `layer l=${l}`;
}

/** `value` must be a matrix (array of rows) of `rows` × `cols` finite numbers. */
function bpCheckMatrix(value, name, rows, cols, where) {
  const want = `(${rows}, ${cols === null ? "m" : cols})`;
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    const hint = Array.isArray(value) && value.length === rows ? ": one example is a column [[v1], [v2], ...]" : "";
    throw new Error(`${name} (${where}) must be a matrix of shape ${want}, an array of rows${hint}`);
  }
  const [r, c] = bpShape(value);
  if (r !== rows || (cols !== null && c !== cols) || value.some((row) => row.length !== c)) {
    const ragged = value.some((row) => row.length !== c);
    throw new Error(`${name} (${where}) must have shape ${want}; got ${ragged ? `rows of lengths ${value.map((row) => row.length).join(", ")}` : `shape (${r}, ${c})`}`);
  }
  if (c === 0) throw new Error(`${name} (${where}) is empty: shape (${r}, 0) has no examples`);
  value.forEach((row, j) => row.forEach((v, k) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`${name} (${where}) has a non-finite value ${v} at row ${j}, column ${k}`);
    }
  }));
  return value;
}

/** Check a network object: sizes, names and every w^l, b^l; returns it, or throws an Error
 * that names the layer and the shapes expected. */
function bpCheckNet(net) {
  if (!net || typeof net !== "object") throw new Error("a network must be an object {sizes, weights, biases, activation, output_activation, cost}");
  const sizes = net.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new Error(`a network needs at least two layers (an input layer l=1 and an output layer l=L); got sizes=${JSON.stringify(sizes)}`);
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1) throw new Error(`layer l=${i + 1} must have a whole number of neurons, at least one; sizes[${i}] = ${JSON.stringify(n)}`);
  });
  const L = sizes.length;
  const names = (o) => Object.keys(o).sort().join(", ");
  if (!(net.activation in BP_ACTIVATIONS)) throw new Error(`unknown activation ${JSON.stringify(net.activation)}; choose one of ${names(BP_ACTIVATIONS)}`);
  if (!BP_ACTIVATIONS[net.activation].elementwise) throw new Error(`${net.activation} is not element-wise and may only be the output activation`);
  if (!(net.output_activation in BP_ACTIVATIONS)) throw new Error(`unknown output activation ${JSON.stringify(net.output_activation)}; choose one of ${names(BP_ACTIVATIONS)}`);
  if (!(net.cost in BP_COSTS)) throw new Error(`unknown cost ${JSON.stringify(net.cost)}; choose one of ${names(BP_COSTS)}`);
  for (const sym of ["w", "b"]) {
    const params = sym === "w" ? net.weights : net.biases;
    if (!Array.isArray(params) || params.length !== L - 1) {
      throw new Error(`${sym}: expected ${L - 1} arrays (${sym}^2 ... ${sym}^${L}) for sizes [${sizes.join(", ")}]; got ${Array.isArray(params) ? params.length : typeof params}`);
    }
    params.forEach((p, i) => {
      const l = i + 2, rows = sizes[i + 1], cols = sym === "w" ? sizes[i] : 1;
      const where = sym === "w" ? `${bpLayerName(l, L)}: ${rows} neurons fed by the ${cols} of layer l=${l - 1}` : `${bpLayerName(l, L)}, ${rows} neurons`;
      bpCheckMatrix(p, `${sym}^${l}`, rows, cols, where);
    });
  }
  return net;
}

/** x (n_1 × m) and y (n_L × m, one column per example of x), checked. */
function bpCheckXY(net, x, y) {
  const L = net.sizes.length;
  bpCheckMatrix(x, "x", net.sizes[0], null, `the input a^1, ${net.sizes[0]} neurons`);
  bpCheckMatrix(y, "y", net.sizes[L - 1], x[0].length, `the target for a^${L}, ${bpLayerName(L, L)} of ${net.sizes[L - 1]} neurons`);
}

/** A deep copy of a network. */
function bpCloneNet(net) {
  return {
    sizes: net.sizes.slice(), weights: net.weights.map(bpCopy), biases: net.biases.map(bpCopy),
    activation: net.activation, output_activation: net.output_activation, cost: net.cost,
  };
}

// ---- The forward pass (bpkit/forward.py) ---------------------------------------------------

/** z^l = w^l a^(l−1) + b^l, the bias column added to every column. */
function bpWeightedInput(w, aPrev, b) {
  return bpMatmul(w, aPrev).map((row, j) => row.map((v) => v + b[j][0]));
}

/** σ of layer l: the output activation in layer L, else the hidden one. */
function bpSigmaOf(net, l) {
  return BP_ACTIVATIONS[l === net.sizes.length ? net.output_activation : net.activation];
}

/** The forward pass a^1 = x, z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), keeping every z^l and a^l:
 * zs[l − 2] = z^l, activations[l − 1] = a^l (as bpkit.forward). */
function bpForward(net, x) {
  const activations = [x]; // a^1 = x
  const zs = [];
  net.weights.forEach((w, i) => {
    const z = bpWeightedInput(w, activations[i], net.biases[i]); // z^l = w^l a^(l−1) + b^l
    zs.push(z);
    activations.push(bpSigmaOf(net, i + 2).fn(z)); // a^l = σ(z^l)
  });
  return { zs, activations };
}

/** a^L for the input a^1 = x (x may have one column per example). */
function bpFeedforward(net, x) {
  bpCheckNet(net);
  bpCheckMatrix(x, "x", net.sizes[0], null, `the input a^1, ${net.sizes[0]} neurons`);
  const { activations } = bpForward(net, x);
  return activations[activations.length - 1];
}

/** Σ_x C_x over the columns of x and y (C_x itself for one column), as bpkit's cost.fn. */
function bpCostOf(net, x, y) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const { activations } = bpForward(net, x);
  return BP_COSTS[net.cost].fn(activations[activations.length - 1], y);
}

/** The mean cost C = (1/n) Σ_x C_x over the n columns, as bpkit's Network.cost_value. */
function bpMeanCost(net, x, y) {
  return bpCostOf(net, x, y) / x[0].length;
}

// ---- The four equations (bpkit/equations.py) -----------------------------------------------

/** BP1: δ^L = ∇_a C ⊙ σ'(z^L); for softmax, (∂a^L/∂z^L)^T ∇_a C. */
function bpOutputError(nablaA, zL, sigma, aL = null) {
  return sigma.backward(zL, aL, nablaA);
}

/** BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l). */
function bpBackpropagateError(wNext, deltaNext, z, sigma, a = null) {
  return sigma.backward(z, a, bpMatmul(bpTranspose(wNext), deltaNext));
}

/** BP3: ∂C/∂b^l_j = δ^l_j, summed over the columns of a mini-batch. */
function bpBiasGradient(delta) {
  return bpSumColumns(delta);
}

/** BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, the matrix δ^l (a^(l−1))^T (summed over the columns). */
function bpWeightGradient(delta, aPrev) {
  return bpMatmul(delta, bpTranspose(aPrev));
}

/** The gradient of Σ_x C_x by BP1–BP4, as bpkit's Network.backprop:
 * {nabla_b, nabla_w} with nabla_b[l − 2] = ∂C/∂b^l and nabla_w[l − 2] = ∂C/∂w^l. */
function bpBackprop(net, x, y) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const L = net.sizes.length;
  const { zs, activations } = bpForward(net, x);
  const aL = activations[L - 1], cost = BP_COSTS[net.cost], sigmaL = bpSigmaOf(net, L);
  const nabla_b = new Array(L - 1), nabla_w = new Array(L - 1);
  let delta = bpSimplifiedOutputError(cost, sigmaL)
    ? bpMap(aL, (aj, yj) => aj - yj, y) // BP1 with σ' cancelled: δ^L = a^L − y
    : bpOutputError(cost.derivative(aL, y), zs[L - 2], sigmaL, aL); // BP1
  nabla_b[L - 2] = bpBiasGradient(delta); // BP3
  nabla_w[L - 2] = bpWeightGradient(delta, activations[L - 2]); // BP4
  for (let l = L - 1; l >= 2; l -= 1) {
    delta = bpBackpropagateError(net.weights[l - 1], delta, zs[l - 2], BP_ACTIVATIONS[net.activation], activations[l - 1]); // BP2
    nabla_b[l - 2] = bpBiasGradient(delta); // BP3
    nabla_w[l - 2] = bpWeightGradient(delta, activations[l - 2]); // BP4
  }
  return { nabla_b, nabla_w };
}

// ---- Gradient descent (bpkit/train.py) -----------------------------------------------------

/** A NEW network with w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l,
 * as bpkit.train's mini-batch update: the sums scaled by −η/m, then added. */
function bpUpdate(net, nabla_b, nabla_w, eta, m = 1) {
  if (!(typeof eta === "number" && Number.isFinite(eta) && eta > 0)) throw new Error(`the learning rate η must be a positive number; got ${eta}`);
  const scale = -eta / m;
  const next = bpCloneNet(net);
  next.weights = net.weights.map((w, i) => bpMap(w, (wjk, g) => wjk + g * scale, nabla_w[i]));
  next.biases = net.biases.map((b, i) => bpMap(b, (bj, g) => bj + g * scale, nabla_b[i]));
  return next;
}

/** `steps` steps of full-batch gradient descent on the m columns of x (one mini-batch of all
 * the examples): {net: the final network, costs: [C before step 1, after step 1, ...]} where
 * C = (1/m) Σ_x C_x is the mean cost, as bpkit.Network.cost_value and sgd's History. */
function bpTrainSteps(net, x, y, eta, steps) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a whole number >= 0; got ${steps}`);
  const m = x[0].length;
  let current = bpCloneNet(net);
  const costs = [bpMeanCost(current, x, y)];
  for (let s = 0; s < steps; s += 1) {
    const { nabla_b, nabla_w } = bpBackprop(current, x, y);
    current = bpUpdate(current, nabla_b, nabla_w, eta, m);
    costs.push(bpMeanCost(current, x, y));
  }
  return { net: current, costs };
}

/** Nudge one parameter by Δ: which = {param: "w"|"b", l, j, k} in the book's indices (l = 2..L,
 * j and k from 1). Returns {gradient: ∂C/∂param, predicted: ∂C/∂param · Δ,
 * measured: C(param + Δ) − C(param)}, C = Σ_x C_x over the columns (the C that bpBackprop
 * differentiates). */
function bpNudge(net, x, y, which, delta) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const { param, l, j } = which, k = param === "b" ? 1 : which.k, L = net.sizes.length;
  if (param !== "w" && param !== "b") throw new Error(`which.param must be "w" or "b"; got ${JSON.stringify(param)}`);
  if (!Number.isInteger(l) || l < 2 || l > L) throw new Error(`layer l=${l} has no weights or biases: they exist for l = 2, ..., L = ${L} (layer l=1 is the input layer)`);
  const rows = net.sizes[l - 1], cols = param === "w" ? net.sizes[l - 2] : 1;
  if (!Number.isInteger(j) || j < 1 || j > rows) throw new Error(`j=${j} is out of range: ${bpLayerName(l, L)} has neurons j = 1, ..., ${rows}`);
  if (!Number.isInteger(k) || k < 1 || k > cols) throw new Error(`k=${k} is out of range: layer l=${l - 1} has neurons k = 1, ..., ${cols}`);
  if (typeof delta !== "number" || !Number.isFinite(delta)) throw new Error(`the nudge Δ must be a finite number; got ${delta}`);
  const { nabla_b, nabla_w } = bpBackprop(net, x, y);
  const gradient = (param === "w" ? nabla_w : nabla_b)[l - 2][j - 1][k - 1];
  const nudged = bpCloneNet(net);
  (param === "w" ? nudged.weights : nudged.biases)[l - 2][j - 1][k - 1] += delta;
  return { gradient, predicted: gradient * delta, measured: bpCostOf(nudged, x, y) - bpCostOf(net, x, y) };
}

// ---- The trace (bpkit/trace.py): every step of one pass, as Trace.to_dict() ----------------

/** One step of a trace, its quantities {name, latex, value}. */
function bpQ(name, latex, value) {
  return { name, latex, value: typeof value === "number" ? [[value]] : bpCopy(value) };
}

/** Record one forward and one backward pass of `net` on (x, y) (and, with a learning rate eta,
 * the update w^l → w^l − η ∂C/∂w^l, b^l → b^l − η ∂C/∂b^l), step by step: the same object
 * as bpkit.trace(net, x, y, eta).to_dict() — same steps, strings and numbers. */
function bpTrace(net, x, y, eta = null) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  if (eta !== null && !(typeof eta === "number" && Number.isFinite(eta) && eta > 0)) {
    throw new Error(`the learning rate η must be a positive number; got ${eta}`);
  }
  const L = net.sizes.length, act = BP_ACTIVATIONS[net.activation];
  const outAct = BP_ACTIVATIONS[net.output_activation], cost = BP_COSTS[net.cost];
  const w = (l) => net.weights[l - 2], b = (l) => net.biases[l - 2];
  const R = String.raw;
  const steps = [];
  const add = (phase, kind, layer, equation, latex, caption, inputs, outputs) =>
    steps.push({ index: steps.length, phase, kind, layer, equation, latex, caption, inputs, outputs });

  // Forward pass
  let a = x;
  const activations = [x], zs = [];
  add("forward", "input", 1, "input", "a^{1} = x",
    `The input x becomes the activation a¹ of the ${net.sizes[0]} input neurons.`,
    [bpQ("x", "x", x)], [bpQ("a^1", "a^{1}", x)]);
  for (let l = 2; l <= L; l += 1) {
    const z = bpWeightedInput(w(l), a, b(l)); // z^l = w^l a^(l−1) + b^l
    add("forward", "weighted_input", l, "z = wa + b", `z^{${l}} = w^{${l}} a^{${l - 1}} + b^{${l}}`,
      `Layer ${l} weighs the activations of layer ${l - 1} and adds its biases: z^${l}_j = Σ_k w^${l}_jk a^${l - 1}_k + b^${l}_j.`,
      [bpQ(`w^${l}`, `w^{${l}}`, w(l)), bpQ(`a^${l - 1}`, `a^{${l - 1}}`, a), bpQ(`b^${l}`, `b^{${l}}`, b(l))],
      [bpQ(`z^${l}`, `z^{${l}}`, z)]);
    const sigma = l === L ? outAct : act;
    a = sigma.fn(z); // a^l = σ(z^l)
    add("forward", "activation", l, "a = σ(z)", `a^{${l}} = ${sigma.latex}(z^{${l}})`,
      `Layer ${l} applies its activation ${sigma.name} to each weighted input.`,
      [bpQ(`z^${l}`, `z^{${l}}`, z)], [bpQ(`a^${l}`, `a^{${l}}`, a)]);
    zs.push(z);
    activations.push(a);
  }

  // Cost
  const c = cost.fn(a, y);
  const costName = cost.name.replaceAll("_", "-");
  add("cost", "cost", L, "cost", cost.latex.replaceAll("a^L", `a^{${L}}`),
    `The ${costName} cost compares the output a^${L} with the target y.`,
    [bpQ(`a^${L}`, `a^{${L}}`, a), bpQ("y", "y", y)], [bpQ("C_x", "C_x", c)]);

  // Backward pass
  const nabla_b = new Array(L - 1), nabla_w = new Array(L - 1);
  const gradients = (l, delta) => {
    const nb = bpBiasGradient(delta); // BP3
    add("backward", "bias_gradient", l, "BP3", R`\frac{\partial C}{\partial b^{${l}}_j} = \delta^{${l}}_j`,
      `BP3: the gradient of the cost with respect to the biases of layer ${l} is its error δ^${l}.`,
      [bpQ(`delta^${l}`, R`\delta^{${l}}`, delta)], [bpQ(`dC/db^${l}`, R`\partial C / \partial b^{${l}}`, nb)]);
    const nw = bpWeightGradient(delta, activations[l - 2]); // BP4
    add("backward", "weight_gradient", l, "BP4", R`\frac{\partial C}{\partial w^{${l}}_{jk}} = a^{${l - 1}}_k \delta^{${l}}_j`,
      `BP4: the gradient for the weight w^${l}_jk is the activation a^${l - 1}_k it carries times the error δ^${l}_j it feeds.`,
      [bpQ(`delta^${l}`, R`\delta^{${l}}`, delta), bpQ(`a^${l - 1}`, `a^{${l - 1}}`, activations[l - 2])],
      [bpQ(`dC/dw^${l}`, R`\partial C / \partial w^{${l}}`, nw)]);
    nabla_b[l - 2] = nb;
    nabla_w[l - 2] = nw;
  };

  let delta;
  if (bpSimplifiedOutputError(cost, outAct)) {
    delta = bpMap(a, (aj, yj) => aj - yj, y); // BP1 with σ' cancelled: δ^L = a^L − y
    add("backward", "output_error", L, "BP1", R`\delta^{${L}} = a^{${L}} - y`,
      `BP1: for ${outAct.name} with the ${costName} cost, σ' cancels and the output error is a^${L} − y.`,
      [bpQ(`a^${L}`, `a^{${L}}`, a), bpQ("y", "y", y)], [bpQ(`delta^${L}`, R`\delta^{${L}}`, delta)]);
  } else {
    const nablaA = cost.derivative(a, y); // ∇_a C
    const inputs = [bpQ("nabla_a C", R`\nabla_a C`, nablaA)];
    let latex;
    if (outAct.elementwise) {
      inputs.push(bpQ(`sigma'(z^${L})`, R`\sigma'(z^{${L}})`, outAct.prime(zs[L - 2])));
      latex = R`\delta^{${L}} = \nabla_a C \odot \sigma'(z^{${L}})`;
    } else {
      latex = R`\delta^{${L}} = \left(\frac{\partial a^{${L}}}{\partial z^{${L}}}\right)^T \nabla_a C`;
    }
    delta = bpOutputError(nablaA, zs[L - 2], outAct, a); // BP1
    add("backward", "output_error", L, "BP1", latex,
      `BP1: the output error δ^${L} is how fast the cost changes with each output, times how fast each output changes with its weighted input.`,
      inputs, [bpQ(`delta^${L}`, R`\delta^{${L}}`, delta)]);
  }
  gradients(L, delta);
  for (let l = L - 1; l >= 2; l -= 1) {
    const wNext = w(l + 1);
    const newDelta = bpBackpropagateError(wNext, delta, zs[l - 2], act); // BP2
    add("backward", "backpropagated_error", l, "BP2",
      R`\delta^{${l}} = \left((w^{${l + 1}})^T \delta^{${l + 1}}\right) \odot \sigma'(z^{${l}})`,
      `BP2: the error δ^${l + 1} moves back through the transposed weights w^${l + 1} and through σ' of layer ${l}.`,
      [bpQ(`w^${l + 1}`, `w^{${l + 1}}`, wNext), bpQ(`delta^${l + 1}`, R`\delta^{${l + 1}}`, delta),
        bpQ(`sigma'(z^${l})`, R`\sigma'(z^{${l}})`, act.prime(zs[l - 2]))],
      [bpQ(`delta^${l}`, R`\delta^{${l}}`, newDelta)]);
    delta = newDelta;
    gradients(l, delta);
  }

  // Update: w^l → w^l − η ∂C/∂w^l, b^l → b^l − η ∂C/∂b^l (η times the summed gradient)
  if (eta !== null) {
    for (let l = L; l >= 2; l -= 1) {
      const wNew = bpMap(w(l), (wjk, g) => wjk - eta * g, nabla_w[l - 2]);
      const bNew = bpMap(b(l), (bj, g) => bj - eta * g, nabla_b[l - 2]);
      add("update", "update", l, "update",
        R`w^{${l}} \to w^{${l}} - \eta \frac{\partial C}{\partial w^{${l}}}, \quad b^{${l}} \to b^{${l}} - \eta \frac{\partial C}{\partial b^{${l}}}`,
        `Gradient descent moves the weights and biases of layer ${l} a step η = ${bpFormatG(eta)} against their gradients.`,
        [bpQ(`w^${l}`, `w^{${l}}`, w(l)), bpQ(`dC/dw^${l}`, R`\partial C / \partial w^{${l}}`, nabla_w[l - 2]),
          bpQ(`b^${l}`, `b^{${l}}`, b(l)), bpQ(`dC/db^${l}`, R`\partial C / \partial b^{${l}}`, nabla_b[l - 2])],
        [bpQ(`w^${l} new`, `w^{${l}}`, wNew), bpQ(`b^${l} new`, `b^{${l}}`, bNew)]);
    }
  }

  return {
    sizes: net.sizes.slice(), activation: act.name, output_activation: outAct.name, cost: cost.name,
    x: bpCopy(x), y: bpCopy(y), weights: net.weights.map(bpCopy), biases: net.biases.map(bpCopy),
    cost_value: c, nabla_b, nabla_w, eta, steps,
  };
}
