/* engine/sgd.js: the page's stochastic gradient descent order: a seeded generator, the
 * shuffle of each epoch into mini-batches, and a seeded starting network. bpkit.sgd takes the
 * same order (its `batches` argument), so the page and Python train through the same steps. */

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same numbers. */
export function bpRandom(seed) {
  let a = (seed >>> 0) || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The order of the n examples in an epoch, written into `perm` (an array of n): 0..n−1
 * shuffled by Fisher–Yates with the generator seeded by seed and epoch. */
export function bpEpochOrder(perm, n, seed, epoch) {
  const rand = bpRandom((seed * 100003 + epoch * 7919 + 1) >>> 0);
  for (let i = 0; i < n; i += 1) perm[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const k = Math.floor(rand() * (i + 1));
    const t = perm[i];
    perm[i] = perm[k];
    perm[k] = t;
  }
  return perm;
}

/** The mini-batches of one epoch: the n examples in bpEpochOrder, cut into runs of m (the last
 * may be shorter), as bpkit.sgd cuts its permutation (and bpkit.train.page_batches gives). */
export function bpEpochBatches(n, m, seed, epoch) {
  const perm = bpEpochOrder(new Array(n), n, seed, epoch);
  const out = [];
  for (let k = 0; k < n; k += m) out.push(perm.slice(k, k + m));
  return out;
}

/** A number from about N(0, 1): the sum of twelve numbers of the generator, minus 6 (mean 0,
 * variance 1). Only additions of multiples of 2^−32: Python (bpkit.widgets.playground.page_start)
 * computes the very same numbers, bit for bit, which Math.log and Math.cos would not promise. */
export function bpNormal(rand) {
  let s = 0;
  for (let i = 0; i < 12; i += 1) s += rand();
  return s - 6;
}

/** The page's starting network of sizes and seed, which bpkit.widgets.playground.page_start
 * gives in Python, bit for bit: bpkit's "scaled" start (w^l_jk about N(0, 1/n_(l−1)), b^l_j about
 * N(0, 1)), layer by layer, each w^l row by row and then b^l, drawn by bpNormal. */
export function bpInitNet(sizes, activation, outputActivation, cost, seed) {
  const rand = bpRandom((seed * 2654435761 + 12345) >>> 0);
  const weights = [], biases = [];
  for (let l = 1; l < sizes.length; l += 1) {
    const s = 1 / Math.sqrt(sizes[l - 1]);
    weights.push(Array.from({ length: sizes[l] }, () => Array.from({ length: sizes[l - 1] }, () => bpNormal(rand) * s)));
    biases.push(Array.from({ length: sizes[l] }, () => [bpNormal(rand)]));
  }
  return { sizes: sizes.slice(), weights, biases, activation, output_activation: outputActivation, cost };
}
