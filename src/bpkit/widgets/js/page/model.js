/* page/model.js: the stand-in model of a static copy, and the boot that draws every static
 * copy on the page.
 *
 * A widget module exports render({model, el}). Live in Jupyter, model is anywidget's; in the
 * static book it is bpStaticModel(state) below, holding the state Python embedded as JSON
 * beside the host element. The widgets use only model.get, set, on, off and save_changes.
 */

/** The stand-in model of the static copy: the embedded state, with change events. */
export function bpStaticModel(state) {
  const handlers = new Map();
  return {
    get: (key) => state[key],
    set(key, value) {
      const old = state[key];
      state[key] = value;
      if (old !== value) for (const f of (handlers.get("change:" + key) || []).slice()) f();
    },
    on(event, f) {
      for (const e of event.split(" ")) {
        if (!handlers.has(e)) handlers.set(e, []);
        handlers.get(e).push(f);
      }
    },
    off(event, f) {
      for (const e of event.split(" ")) handlers.set(e, (handlers.get(e) || []).filter((g) => g !== f));
    },
    save_changes() {},
    send() {},
    isStatic: true,
  };
}

const sharedData = new Map();
/** The value of a shared data part (a JSON script element whose data-bpkit-part is "data/HASH"),
 * read once per page: several widgets may use the same object, so they must not change it. */
function shared(part) {
  if (!sharedData.has(part)) {
    const el = document.querySelector(`script[type="application/json"][data-bpkit-part="${part}"]`);
    if (!el) throw new Error(`the data ${part} is missing from the page`);
    sharedData.set(part, JSON.parse(el.textContent));
  }
  return sharedData.get(part);
}

/** A static copy's state: its JSON, with every shared part ($shared: {key: part}) filled in. */
function stateOf(host) {
  const state = JSON.parse(document.getElementById(`${host.id}-state`).textContent);
  for (const [key, part] of Object.entries(state.$shared || {})) state[key] = shared(part);
  delete state.$shared;
  return state;
}

/** Draw every static copy on the page whose module has been loaded: the host
 * <div class="bpkit-static" data-bpkit-module="widgets/x.js" id="ID"> and its state
 * <script type="application/json" id="ID-state"> (see bpkit/widgets/_base.py). `modules` maps
 * a module's path to its exports. A copy that fails says so in its own box; the others draw. */
export function bpBoot(modules) {
  if (typeof document === "undefined") return;
  for (const host of document.querySelectorAll(".bpkit-static[data-bpkit-module]:not([data-bpkit-ready])")) {
    const mod = modules[host.dataset.bpkitModule];
    if (!mod) continue; // its module comes later in the page
    host.dataset.bpkitReady = "pending";
    try {
      const state = stateOf(host);
      host.replaceChildren();
      mod.default.render({ model: bpStaticModel(state), el: host });
      host.dataset.bpkitReady = "true";
    } catch (e) {
      host.dataset.bpkitReady = "failed";
      const p = document.createElement("p");
      p.className = "bpkit-fallback";
      p.textContent = `This figure could not be drawn: ${String((e && e.message) || e)}`;
      host.replaceChildren(p);
      if (typeof console !== "undefined") console.error(e);
    }
  }
}
