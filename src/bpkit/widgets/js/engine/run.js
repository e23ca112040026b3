/* engine/run.js: a training run of the playground, epoch by epoch, with its history, its stop
 * conditions and a replay of any epoch. Maths only (no DOM): node runs it in the tests.
 *
 * The run trains a FastNet (engine/fast.js) through the page's mini-batch order
 * (bpEpochBatches: the order bpkit.sgd takes with batches=page_batches(n, m, seed)), so the
 * network at epoch e is bpkit.sgd's after e epochs from the same start. After each epoch it
 * records the mean training cost and the number of points classified right, then checks, as
 * bpkit.sgd does, that the weights and the cost are finite; it also stops at the epoch limit,
 * at a target accuracy or cost, and when the cost has stayed above twice its start for
 * GROWTH_EPOCHS epochs in a row (o.growthEpochs: the page takes bpkit.widgets.playground's
 * GROWTH_EPOCHS). Each stop is a sentence saying what happened, and what to try where advice fits.
 *
 * Replay: the parameters after some epochs are kept as snapshots, at most MAX_SNAPSHOTS of them
 * (every epoch at first; when the store is full every other one is dropped and the spacing
 * doubles), so memory is bounded by MAX_SNAPSHOTS × the number of parameters × 8 bytes
 * (400 KB for the largest network the page allows, [2, 8, 8, 8, 3]: 195 parameters). The
 * network at any epoch is the nearest snapshot before it, trained forward the few epochs
 * between: the same numbers, since training is deterministic.
 */

import { bpFormatG } from "./format.js";
import { FastNet, FastWork, fastData, fastEpochInOrder, fastEvaluate } from "./fast.js";
import { bpEpochOrder } from "./sgd.js";

export const MAX_SNAPSHOTS = 256;
export const GROWTH_EPOCHS = 100;
const EVAL_COLUMNS = 64;

/** The reason a run stopped, in words: what happened, and what to try. */
function divergedWeights(epoch, eta) {
  return `gradient descent diverged: after epoch ${epoch} the weights or biases are no longer finite (η = ${bpFormatG(eta)}). `
    + `Try a smaller learning rate η (e.g. ${bpFormatG(eta / 10)}).`;
}

function divergedCost(epoch, cost, eta) {
  return `gradient descent diverged: after epoch ${epoch} the training cost is ${cost === Infinity ? "inf" : cost} with η = ${bpFormatG(eta)}. `
    + `Try a smaller learning rate η (e.g. ${bpFormatG(eta / 10)}).`;
}

export class TrainingRun {
  /** o = {net: the readable starting network, X, Y (training data), test: {X, Y} or null,
   * eta, m, seed, maxEpochs, growthEpochs (optional), target: {accuracy (0..1) or null, cost or null}}. The network is
   * checked once, here. */
  constructor(o) {
    this.o = o;
    this.data = fastData(o.X, o.Y);
    this.test = o.test && o.test.X[0].length ? fastData(o.test.X, o.test.Y) : null;
    this.n = this.data.n;
    this.m = Math.min(o.m, this.n);
    this.net = new FastNet(o.net);
    this.ws = new FastWork(this.net.sizes, this.m);
    this.perm = new Int32Array(this.n);
    this.all = Int32Array.from({ length: this.n }, (_, i) => i);
    this.evalWs = new FastWork(this.net.sizes, Math.min(EVAL_COLUMNS, Math.max(this.n, this.test ? this.test.n : 1)));
    this.maxEpochs = o.maxEpochs;
    this.costs = new Float64Array(o.maxEpochs + 1);
    this.correct = new Int32Array(o.maxEpochs + 1);
    this.epoch = 0;
    this.stopped = null;
    this.above = 0;
    this.free = Array.from({ length: MAX_SNAPSHOTS }, () => new Float64Array(this.net.count));
    this.snaps = []; // [{epoch, params}] in order of epoch
    this.stride = 1;
    this.scratch = null;
    this.record();
    this.snapshot();
  }

  /** A new epoch limit or target, keeping what was trained: a run stopped by the old limit or
   * target goes on if the new ones allow it; one already past the new limit says so. */
  setLimits(maxEpochs, target) {
    if (maxEpochs + 1 > this.costs.length) {
      const costs = new Float64Array(maxEpochs + 1), correct = new Int32Array(maxEpochs + 1);
      costs.set(this.costs.subarray(0, this.epoch + 1));
      correct.set(this.correct.subarray(0, this.epoch + 1));
      this.costs = costs;
      this.correct = correct;
    }
    this.maxEpochs = maxEpochs;
    this.o = { ...this.o, maxEpochs, target };
    if (this.stopped && (this.stopped.kind === "limit" || this.stopped.kind === "target")) this.stopped = null;
    if (this.stopped || this.epoch === 0) return;
    if (this.epoch > maxEpochs) {
      this.stopped = { kind: "limit", epoch: this.epoch, message: `the run has already trained ${this.epoch} epochs, past the new limit of ${maxEpochs}. `
        + `Press Reset to train again up to ${maxEpochs}, or raise the limit to go on.` };
      return;
    }
    this.stopped = this.goalReason(this.costs[this.epoch]);
  }

  /** The cost and the right answers of the current network, as the entry of this epoch. */
  record() {
    const { cost, correct } = fastEvaluate(this.net, this.evalWs, this.data, this.all);
    this.costs[this.epoch] = cost;
    this.correct[this.epoch] = correct;
    return cost;
  }

  /** Keep the parameters of this epoch if it falls on the spacing (thinning a full store). */
  snapshot() {
    if (this.epoch % this.stride !== 0) return;
    if (!this.free.length) {
      this.thin();
      if (this.epoch % this.stride !== 0) return;
    }
    const params = this.free.pop();
    this.net.save(params);
    this.snaps.push({ epoch: this.epoch, params });
  }

  /** Double the spacing: keep the snapshots of the epochs that are multiples of it. */
  thin() {
    this.stride *= 2;
    const keep = [];
    for (const s of this.snaps) (s.epoch % this.stride === 0 ? keep : this.free).push(s.epoch % this.stride === 0 ? s : s.params);
    this.snaps = keep;
  }

  accuracy(epoch = this.epoch) { return this.correct[epoch] / this.n; }

  /** The accuracy on the held-out points of the network at hand (null: no held-out points). */
  heldOut(net = this.net) {
    if (!this.test) return null;
    return fastEvaluate(net, this.evalWs, this.test).correct / this.test.n;
  }

  /** Epoch `e` (1, 2, ...) of gradient descent on the FastNet f, in the page's order. */
  trainEpoch(f, e) {
    fastEpochInOrder(f, this.ws, this.data, this.o.eta, bpEpochOrder(this.perm, this.n, this.o.seed, e), this.m);
  }

  /** Train one epoch; false (and this.stopped set) when the run stops. */
  step() {
    if (this.stopped) return false;
    this.trainEpoch(this.net, this.epoch + 1);
    this.epoch += 1;
    const finite = this.net.finite();
    const cost = finite ? this.record() : NaN;
    if (!finite) this.costs[this.epoch] = NaN;
    this.stopped = this.stopReason(finite, cost);
    if (!this.stopped || this.stopped.kind !== "diverged") this.snapshot();
    return !this.stopped;
  }

  /** Why the run stops after this epoch, or null: the weights or the cost no longer finite
   * (as bpkit.sgd's DivergenceError), the cost above twice its start for growthEpochs epochs
   * in a row, a target reached, the epoch limit. */
  stopReason(finite, cost) {
    const e = this.epoch, eta = this.o.eta, growth = this.o.growthEpochs ?? GROWTH_EPOCHS;
    if (!finite) return { kind: "diverged", epoch: e, message: divergedWeights(e, eta) };
    if (!Number.isFinite(cost)) return { kind: "diverged", epoch: e, message: divergedCost(e, cost, eta) };
    this.above = cost > 2 * this.costs[0] ? this.above + 1 : 0;
    if (this.above >= growth) {
      return { kind: "grew", epoch: e, message: `the training cost has stayed above twice its start (${bpFormatG(this.costs[0])}) for ${growth} epochs, at ${bpFormatG(cost)} now: gradient descent is overshooting with η = ${bpFormatG(eta)}. Try a smaller learning rate η (e.g. ${bpFormatG(eta / 10)}).` };
    }
    return this.goalReason(cost);
  }

  /** A target reached, or the epoch limit, with words that fit how the run stands. */
  goalReason(cost) {
    const e = this.epoch, t = this.o.target || {}, acc = this.accuracy();
    if (t.accuracy != null && acc >= t.accuracy) {
      return { kind: "target", epoch: e, message: `the training accuracy reached ${Math.round(acc * 100)}%, the target of ${Math.round(t.accuracy * 100)}%, after ${e} epochs. Set a higher target, or none, to go on.` };
    }
    if (t.cost != null && cost <= t.cost) {
      return { kind: "target", epoch: e, message: `the training cost fell to ${bpFormatG(cost)}, below the target ${bpFormatG(t.cost)}, after ${e} epochs. Set a lower target, or none, to go on.` };
    }
    if (e >= this.maxEpochs) return { kind: "limit", epoch: e, message: this.limitMessage(cost, acc) };
    return null;
  }

  /** The epoch limit reached: how the run ended, and advice only where it fits: none when every
   * point is right, "go on" while the cost still falls, a smaller η when it rose (by more than a
   * tenth; a smaller rise may be the wandering of mini-batches), and a larger
   * network when it has stopped moving. The cost is compared with its value a tenth of the
   * run earlier (at least 10 epochs). */
  limitMessage(cost, acc) {
    const e = this.epoch, back = Math.max(0, e - Math.max(10, Math.floor(e / 10))), then = this.costs[back];
    const head = `the run reached its limit of ${this.maxEpochs} epochs: training cost ${bpFormatG(cost)}, ${Math.round(acc * 100)}% of the training points right`;
    if (this.correct[e] === this.n) return `${head}, every one of them. Raise the limit to go on lowering the cost.`;
    if (cost < 0.99 * then) return `${head}. The cost is still falling (${bpFormatG(then)} at epoch ${back}): raise the limit to go on.`;
    const smaller = Number((this.o.eta / 3).toPrecision(1));
    if (cost > 1.1 * then) return `${head}. The cost has risen since epoch ${back} (${bpFormatG(then)}): gradient descent is overshooting; try a smaller learning rate η (e.g. ${smaller}).`;
    if (cost > 1.01 * then) return `${head}. The cost has risen a little since epoch ${back} (${bpFormatG(then)}): mini-batches make it wander; raise the limit to see where it goes, or try a smaller η (e.g. ${smaller}) if it keeps rising.`;
    return `${head}. The cost has hardly moved since epoch ${back} (${bpFormatG(then)}): more epochs will change little; try more hidden neurons, another activation or another η.`;
  }

  /** Train until `until()` says stop (a time budget) or the run stops; returns epochs trained. */
  trainWhile(until) {
    let k = 0;
    while (!this.stopped && until(k)) {
      this.step();
      k += 1;
    }
    return k;
  }

  /** The network after `epoch` epochs (0 ≤ epoch ≤ this.epoch), as a FastNet: the current one,
   * or the nearest snapshot before it trained forward. The result is reused by the next call. */
  at(epoch) {
    if (epoch >= this.epoch) return this.net;
    let snap = this.snaps[0];
    for (const s of this.snaps) if (s.epoch <= epoch) snap = s;
    if (!this.scratch) this.scratch = new FastNet(this.o.net);
    const f = this.scratch;
    if (f.atEpoch !== undefined && f.atEpoch <= epoch && f.atEpoch >= snap.epoch) snap = { epoch: f.atEpoch, params: null };
    else f.load(snap.params);
    for (let e = snap.epoch + 1; e <= epoch; e += 1) this.trainEpoch(f, e);
    f.atEpoch = epoch;
    return f;
  }

  /** How many bytes the snapshots hold at most. */
  snapshotBytes() { return MAX_SNAPSHOTS * this.net.count * 8; }
}
