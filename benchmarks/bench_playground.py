"""How fast does the playground train in the built book? Epochs per second in headless Chromium.

Run ``python benchmarks/bench_playground.py`` (about a minute; it builds chapter 11 alone into
a temporary folder), or ``--html DIR`` with a built book (``_build/html``) to measure that.
A benchmark, not a test: it prints numbers and ratios, and whether the targets of issue 17 are
met, and never fails on them.

In one Chromium page, with the network blocked, for each playground figure of chapter 11 at
its default settings, and for the largest network the page allows ([2, 8, 8, 8, 3] on the
three spirals, 300 points, m = 1: the most updates per epoch):

* **page**: Play at its fastest speed (the Speed menu's "fastest"; a reader's default is a
  watchable 100 epochs a second), while the figure trains AND redraws its pictures (the decision boundary,
  the picture in every neuron, the weights, the cost curve, at least 30 times a second; the
  count of redraws is printed), for ``--seconds``; epochs per second from the page's own
  counter (``root.bpkitStats()``);
* **tight loop**: in the same page, the same network, data and mini-batch size trained by a
  loop written for speed and nothing else (one Float64Array per layer, forward, BP1–BP4 and
  the update in place, a Fisher–Yates shuffle per epoch, no cost, no drawing, no checks), for
  the same time: what the machine allows;
* the ratio page / tight loop, and the machine's load average (1 minute) before and after,
  since the machine may be shared: on a busy machine read the ratios.

Targets (issue 17): the spirals figure ≥ 1,500 epochs/s and ≥ 40% of the tight loop; every
figure of the book ≥ 1,000 epochs/s; the largest network ≥ 60 epochs/s; redrawn ≥ 30 times a
second while measured.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from helpers.browser import open_page, serve  # noqa: E402

# The tight loop: [2, h..., n_L] with tanh hidden layers, sigmoid or softmax outputs and the
# cost that cancels σ' (δ^L = a^L − y), trained in place. Written for speed and nothing else.
TIGHT = r"""
({ X, Y, sizes, m, seconds }) => {
  const L = sizes.length, n = X[0].length, softmax = sizes[L - 1] > 2 || Y.length > 2;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const w = [], b = [], z = [], a = [], d = [];
  for (let l = 1; l < L; l += 1) {
    w.push(Float64Array.from({ length: sizes[l] * sizes[l - 1] }, () => (rand() - 0.5) / Math.sqrt(sizes[l - 1])));
    b.push(Float64Array.from({ length: sizes[l] }, () => rand() - 0.5));
  }
  for (let l = 0; l < L; l += 1) { z.push(new Float64Array(sizes[l] * m)); a.push(new Float64Array(sizes[l] * m)); d.push(new Float64Array(sizes[l] * m)); }
  const y = new Float64Array(sizes[L - 1] * m), perm = Int32Array.from({ length: n }, (_, i) => i);
  const eta = 0.3;
  const t0 = performance.now();
  let epochs = 0;
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = n - 1; i > 0; i -= 1) { const k = Math.floor(rand() * (i + 1)); const t = perm[i]; perm[i] = perm[k]; perm[k] = t; }
    for (let from = 0; from < n; from += m) {
      const mm = Math.min(m, n - from);
      for (let k = 0; k < sizes[0]; k += 1) for (let x = 0; x < mm; x += 1) a[0][k * mm + x] = X[k][perm[from + x]];
      for (let j = 0; j < sizes[L - 1]; j += 1) for (let x = 0; x < mm; x += 1) y[j * mm + x] = Y[j][perm[from + x]];
      for (let l = 1; l < L; l += 1) {
        const rows = sizes[l], cols = sizes[l - 1], W = w[l - 1], B = b[l - 1], A = a[l - 1], Z = z[l], O = a[l];
        for (let j = 0; j < rows; j += 1) for (let x = 0; x < mm; x += 1) {
          let s = B[j];
          for (let i = 0; i < cols; i += 1) s += W[j * cols + i] * A[i * mm + x];
          Z[j * mm + x] = s;
          O[j * mm + x] = l < L - 1 ? Math.tanh(s) : 1 / (1 + Math.exp(-s));
        }
        if (l === L - 1 && softmax) for (let x = 0; x < mm; x += 1) {
          let top = -Infinity, sum = 0;
          for (let j = 0; j < rows; j += 1) top = Math.max(top, Z[j * mm + x]);
          for (let j = 0; j < rows; j += 1) { O[j * mm + x] = Math.exp(Z[j * mm + x] - top); sum += O[j * mm + x]; }
          for (let j = 0; j < rows; j += 1) O[j * mm + x] /= sum;
        }
      }
      for (let i = 0; i < sizes[L - 1] * mm; i += 1) d[L - 1][i] = a[L - 1][i] - y[i];
      for (let l = L - 1; l >= 1; l -= 1) {
        const rows = sizes[l], cols = sizes[l - 1], W = w[l - 1], B = b[l - 1], D = d[l], A = a[l - 1], scale = -eta / mm;
        if (l > 1) for (let j = 0; j < cols; j += 1) for (let x = 0; x < mm; x += 1) {
          let s = 0;
          for (let i = 0; i < rows; i += 1) s += W[i * cols + j] * D[i * mm + x];
          const t = A[j * mm + x];
          d[l - 1][j * mm + x] = s * (1 - t * t);
        }
        for (let j = 0; j < rows; j += 1) {
          let sb = 0;
          for (let x = 0; x < mm; x += 1) sb += D[j * mm + x];
          B[j] += scale * sb;
          for (let k = 0; k < cols; k += 1) {
            let s = 0;
            for (let x = 0; x < mm; x += 1) s += D[j * mm + x] * A[k * mm + x];
            W[j * cols + k] += scale * s;
          }
        }
      }
    }
    epochs += 1;
  }
  return epochs / ((performance.now() - t0) / 1000);
}
"""

# Set a figure up (settings typed as a reader would), then Play for `seconds` and count.
PLAY = r"""
async ([root, seconds]) => {
  const b = () => [...root.querySelectorAll('button')].find((x) => /^(Play|Pause)$/.test(x.textContent.trim()));
  const s0 = root.bpkitStats(), t0 = performance.now();
  b().click();
  let s1 = s0, t1 = t0;
  while (t1 - t0 < seconds * 1000) {  // until the time is up, or the run stops (its epoch limit)
    await new Promise((r) => setTimeout(r, 50));
    s1 = root.bpkitStats();
    t1 = performance.now();
    if (!s1.playing) break;
  }
  if (b().textContent.trim() === 'Pause') b().click();
  const dt = (t1 - t0) / 1000;
  return { epochs: (s1.epoch - s0.epoch) / dt, draws: (s1.draws - s0.draws) / dt, seconds: dt,
           frames: (s1.frames - s0.frames) / dt, drawMs: (s1.drawMs - s0.drawMs) / Math.max(1, s1.draws - s0.draws) };
}
"""


def build_chapter_11(out: Path) -> Path:
    jb = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jb), "build", str(REPO / "book" / "11_playground.md"), "--path-output", str(out)],
                          capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"chapter 11 did not build:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return next(out.rglob("11_playground.html")).parent


def set_field(w, name: str, value: str) -> None:
    box = w.locator(f'[data-set="{name}"]')
    if box.evaluate("el => el.tagName") == "SELECT":
        box.select_option(value)
    else:
        box.fill(value)
        box.press("Enter")


def measure(page, w, seconds: float) -> dict:
    set_field(w, "limit", "20000")  # no stop while measured
    set_field(w, "speed", "max")  # Play as fast as the machine allows
    w.get_by_role("button", name="Reset to the starting weights").click()
    state = w.evaluate("root => ({ sizes: root.bpkitState().net.sizes, m: root.bpkitState().config.batch })")
    xy = w.evaluate("root => root.bpkitData()")  # the training points, as the figure holds them
    m = min(state["m"], len(xy["X"][0]))
    tight = {"X": xy["X"], "Y": xy["Y"], "sizes": state["sizes"], "m": m, "seconds": seconds / 2}
    before = page.evaluate(TIGHT, tight)  # the tight loop just before and just after the page's run:
    got = page.evaluate(PLAY, [w.element_handle(), seconds])
    after = page.evaluate(TIGHT, tight)  # the machine's load moves both alike
    return {**got, "tight": (before + after) / 2, "sizes": state["sizes"], "m": m}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--html", type=Path, help="a built book's html folder (default: build chapter 11 alone)")
    ap.add_argument("--seconds", type=float, default=4.0, help="seconds of Play per figure (default 4)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or build_chapter_11(Path(tmp))
        page_path = "book/11_playground.html" if (html / "book" / "11_playground.html").exists() else "11_playground.html"
        load0 = os.getloadavg()[0]
        rows = []
        with serve(html) as base, open_page(base, page_path, width=1280, height=2000) as (page, report):
            page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-playground')
            figures = page.locator(".bpkit-playground")
            for i in range(figures.count()):
                w = figures.nth(i)
                label = w.locator('[data-set="dataset"] option:checked').inner_text()
                rows.append((f"figure {i + 1}: {label}", measure(page, w, args.seconds)))
            w = figures.nth(figures.count() - 1)
            set_field(w, "dataset", "spirals3")
            set_field(w, "hidden", "8, 8, 8")
            set_field(w, "batch", "1")
            rows.append(("largest network: three spirals, m = 1", measure(page, w, args.seconds)))
        load1 = os.getloadavg()[0]
        if report.console_errors or report.page_errors:
            print("page errors:", report.console_errors + report.page_errors)
    print(f"\nPlayground training in headless Chromium ({os.cpu_count()} cores; load average {load0:.1f} before, "
          f"{load1:.1f} after; {args.seconds:g} s per figure)\n")
    print("| figure | network | m | s played | page epochs/s | redraws/s (ms each) | frames/s | tight loop epochs/s | page / tight |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r['sizes']} | {r['m']} | {r['seconds']:.2f} | {r['epochs']:,.0f} | {r['draws']:.1f} ({r['drawMs']:.1f}) | "
              f"{r['frames']:.0f} | {r['tight']:,.0f} | {r['epochs'] / r['tight']:.0%} |")
    spirals = next((r for name, r in rows if "Two spirals" in name), None)
    largest = rows[-1][1]
    figures = [r for name, r in rows if name.startswith("figure")]
    print("\nTargets of issue 17:")
    if spirals:
        print(f"  spirals figure >= 1,500 epochs/s: {spirals['epochs']:,.0f} ({'met' if spirals['epochs'] >= 1500 else 'NOT met'})")
        ratio = spirals["epochs"] / spirals["tight"]
        print(f"  spirals figure >= 40% of the tight loop: {ratio:.0%} ({'met' if ratio >= 0.4 else 'NOT met'})")
    worst = min(r["epochs"] for r in figures)
    print(f"  every figure >= 1,000 epochs/s: slowest {worst:,.0f} ({'met' if worst >= 1000 else 'NOT met'})")
    print(f"  largest network >= 60 epochs/s: {largest['epochs']:,.0f} ({'met' if largest['epochs'] >= 60 else 'NOT met'})")
    timed = [r for _, r in rows if r["seconds"] >= 1]  # a run that reached its epoch limit in < 1 s has no rate to speak of
    fewest = min(r["draws"] for r in timed)
    print(f"  pictures redrawn >= 30 times a second while measured (runs of 1 s or more): fewest {fewest:.1f}/s "
          f"({'met' if fewest >= 30 else 'NOT met'})")


if __name__ == "__main__":
    main()
