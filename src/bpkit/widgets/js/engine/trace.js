/* engine/trace.js: bpTrace, one pass recorded step by step, the same object as
 * bpkit.trace(net, x, y, eta).to_dict(): the same steps, strings and numbers. The numbers are
 * those of ONE call of bpPass (engine/equations.js); this file only writes them down. */

import { BP_ACTIVATIONS } from "./activations.js";
import { BP_COSTS, bpSimplifiedOutputError } from "./costs.js";
import { bpCheckEta, bpCheckNet, bpCheckXY } from "./checks.js";
import { bpPass } from "./equations.js";
import { bpFormatG } from "./format.js";
import { bpCopy, bpMap } from "./matrix.js";

const R = String.raw;

/** A quantity of a step: {name, latex, value} (a number is stored as [[v]]). */
function bpQ(name, latex, value) {
  return { name, latex, value: typeof value === "number" ? [[value]] : bpCopy(value) };
}

/** The steps of the forward pass: a^1 = x, then z^l and a^l for l = 2..L. */
function forwardSteps(add, net, x, pass) {
  const L = net.sizes.length, { zs, activations } = pass;
  add("forward", "input", 1, "input", "a^{1} = x",
    `The input x becomes the activation a¹ of the ${net.sizes[0]} input neurons.`,
    [bpQ("x", "x", x)], [bpQ("a^1", "a^{1}", x)]);
  for (let l = 2; l <= L; l += 1) {
    const z = zs[l - 2], a = activations[l - 1], aPrev = activations[l - 2];
    add("forward", "weighted_input", l, "z = wa + b", `z^{${l}} = w^{${l}} a^{${l - 1}} + b^{${l}}`,
      `Layer ${l} weighs the activations of layer ${l - 1} and adds its biases: z^${l}_j = Σ_k w^${l}_jk a^${l - 1}_k + b^${l}_j.`,
      [bpQ(`w^${l}`, `w^{${l}}`, net.weights[l - 2]), bpQ(`a^${l - 1}`, `a^{${l - 1}}`, aPrev), bpQ(`b^${l}`, `b^{${l}}`, net.biases[l - 2])],
      [bpQ(`z^${l}`, `z^{${l}}`, z)]);
    const sigma = BP_ACTIVATIONS[l === L ? net.output_activation : net.activation];
    add("forward", "activation", l, "a = σ(z)", `a^{${l}} = ${sigma.latex}(z^{${l}})`,
      `Layer ${l} applies its activation ${sigma.name} to each weighted input.`,
      [bpQ(`z^${l}`, `z^{${l}}`, z)], [bpQ(`a^${l}`, `a^{${l}}`, a)]);
  }
}

/** BP3 and BP4 of layer l. */
function gradientSteps(add, l, pass) {
  const delta = pass.deltas[l - 2];
  add("backward", "bias_gradient", l, "BP3", R`\frac{\partial C}{\partial b^{${l}}_j} = \delta^{${l}}_j`,
    `BP3: the gradient of the cost with respect to the biases of layer ${l} is its error δ^${l}.`,
    [bpQ(`delta^${l}`, R`\delta^{${l}}`, delta)], [bpQ(`dC/db^${l}`, R`\partial C / \partial b^{${l}}`, pass.nabla_b[l - 2])]);
  add("backward", "weight_gradient", l, "BP4", R`\frac{\partial C}{\partial w^{${l}}_{jk}} = a^{${l - 1}}_k \delta^{${l}}_j`,
    `BP4: the gradient for the weight w^${l}_jk is the activation a^${l - 1}_k it carries times the error δ^${l}_j it feeds.`,
    [bpQ(`delta^${l}`, R`\delta^{${l}}`, delta), bpQ(`a^${l - 1}`, `a^{${l - 1}}`, pass.activations[l - 2])],
    [bpQ(`dC/dw^${l}`, R`\partial C / \partial w^{${l}}`, pass.nabla_w[l - 2])]);
}

/** BP1, in its simplified form when σ' cancels. */
function outputErrorStep(add, net, y, pass, costName) {
  const L = net.sizes.length, a = pass.activations[L - 1], outAct = BP_ACTIVATIONS[net.output_activation];
  const delta = pass.deltas[L - 2];
  if (bpSimplifiedOutputError(BP_COSTS[net.cost], outAct)) {
    add("backward", "output_error", L, "BP1", R`\delta^{${L}} = a^{${L}} - y`,
      `BP1: for ${outAct.name} with the ${costName} cost, σ' cancels and the output error is a^${L} − y.`,
      [bpQ(`a^${L}`, `a^{${L}}`, a), bpQ("y", "y", y)], [bpQ(`delta^${L}`, R`\delta^{${L}}`, delta)]);
    return;
  }
  const inputs = [bpQ("nabla_a C", R`\nabla_a C`, pass.nablaA)];
  let latex;
  if (outAct.elementwise) {
    inputs.push(bpQ(`sigma'(z^${L})`, R`\sigma'(z^{${L}})`, outAct.prime(pass.zs[L - 2])));
    latex = R`\delta^{${L}} = \nabla_a C \odot \sigma'(z^{${L}})`;
  } else {
    latex = R`\delta^{${L}} = \left(\frac{\partial a^{${L}}}{\partial z^{${L}}}\right)^T \nabla_a C`;
  }
  add("backward", "output_error", L, "BP1", latex,
    `BP1: the output error δ^${L} is how fast the cost changes with each output, times how fast each output changes with its weighted input.`,
    inputs, [bpQ(`delta^${L}`, R`\delta^{${L}}`, delta)]);
}

/** BP2 of hidden layer l. */
function backpropagatedErrorStep(add, net, l, pass) {
  const act = BP_ACTIVATIONS[net.activation];
  add("backward", "backpropagated_error", l, "BP2",
    R`\delta^{${l}} = \left((w^{${l + 1}})^T \delta^{${l + 1}}\right) \odot \sigma'(z^{${l}})`,
    `BP2: the error δ^${l + 1} moves back through the transposed weights w^${l + 1} and through σ' of layer ${l}.`,
    [bpQ(`w^${l + 1}`, `w^{${l + 1}}`, net.weights[l - 1]), bpQ(`delta^${l + 1}`, R`\delta^{${l + 1}}`, pass.deltas[l - 1]),
      bpQ(`sigma'(z^${l})`, R`\sigma'(z^{${l}})`, act.prime(pass.zs[l - 2]))],
    [bpQ(`delta^${l}`, R`\delta^{${l}}`, pass.deltas[l - 2])]);
}

/** w^l → w^l − η ∂C/∂w^l, b^l → b^l − η ∂C/∂b^l (η times the summed gradient), l = L..2. */
function updateSteps(add, net, eta, pass) {
  for (let l = net.sizes.length; l >= 2; l -= 1) {
    const w = net.weights[l - 2], b = net.biases[l - 2], gw = pass.nabla_w[l - 2], gb = pass.nabla_b[l - 2];
    const wNew = bpMap(w, (wjk, g) => wjk - eta * g, gw);
    const bNew = bpMap(b, (bj, g) => bj - eta * g, gb);
    add("update", "update", l, "update",
      R`w^{${l}} \to w^{${l}} - \eta \frac{\partial C}{\partial w^{${l}}}, \quad b^{${l}} \to b^{${l}} - \eta \frac{\partial C}{\partial b^{${l}}}`,
      `Gradient descent moves the weights and biases of layer ${l} a step η = ${bpFormatG(eta)} against their gradients.`,
      [bpQ(`w^${l}`, `w^{${l}}`, w), bpQ(`dC/dw^${l}`, R`\partial C / \partial w^{${l}}`, gw),
        bpQ(`b^${l}`, `b^{${l}}`, b), bpQ(`dC/db^${l}`, R`\partial C / \partial b^{${l}}`, gb)],
      [bpQ(`w^${l} new`, `w^{${l}}`, wNew), bpQ(`b^${l} new`, `b^{${l}}`, bNew)]);
  }
}

/** Record one forward and one backward pass of `net` on (x, y) (and, with a learning rate eta,
 * the update w^l → w^l − η ∂C/∂w^l, b^l → b^l − η ∂C/∂b^l), step by step: the same object
 * as bpkit.trace(net, x, y, eta).to_dict(). */
export function bpTrace(net, x, y, eta = null) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  bpCheckEta(eta, true);
  const L = net.sizes.length, cost = BP_COSTS[net.cost], pass = bpPass(net, x, y);
  const steps = [];
  const add = (phase, kind, layer, equation, latex, caption, inputs, outputs) =>
    steps.push({ index: steps.length, phase, kind, layer, equation, latex, caption, inputs, outputs });
  forwardSteps(add, net, x, pass);
  const a = pass.activations[L - 1], c = cost.fn(a, y);
  const costName = cost.name.replaceAll("_", "-");
  add("cost", "cost", L, "cost", cost.latex.replaceAll("a^L", `a^{${L}}`),
    `The ${costName} cost compares the output a^${L} with the target y.`,
    [bpQ(`a^${L}`, `a^{${L}}`, a), bpQ("y", "y", y)], [bpQ("C_x", "C_x", c)]);
  outputErrorStep(add, net, y, pass, costName);
  gradientSteps(add, L, pass);
  for (let l = L - 1; l >= 2; l -= 1) {
    backpropagatedErrorStep(add, net, l, pass);
    gradientSteps(add, l, pass);
  }
  if (eta !== null) updateSteps(add, net, eta, pass);
  return {
    sizes: net.sizes.slice(), activation: net.activation, output_activation: net.output_activation, cost: cost.name,
    x: bpCopy(x), y: bpCopy(y), weights: net.weights.map(bpCopy), biases: net.biases.map(bpCopy),
    cost_value: c, nabla_b: pass.nabla_b, nabla_w: pass.nabla_w, eta, steps,
  };
}
