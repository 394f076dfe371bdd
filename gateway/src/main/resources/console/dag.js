// The step DAG as SVG: columns by dependency depth, one box per step, edges from each dependency.
const NS = "http://www.w3.org/2000/svg";
const W = 150, H = 36, GX = 60, GY = 18;

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function drawDag(steps) {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const depth = new Map();
  const depthOf = (key, seen = new Set()) => {
    if (depth.has(key)) return depth.get(key);
    if (seen.has(key)) return 0;
    seen.add(key);
    const deps = (byKey.get(key)?.dependsOn || []).filter((d) => byKey.has(d));
    const d = deps.length ? Math.max(...deps.map((x) => depthOf(x, seen))) + 1 : 0;
    depth.set(key, d);
    return d;
  };
  steps.forEach((s) => depthOf(s.key));
  const columns = [];
  for (const s of steps) (columns[depth.get(s.key)] ||= []).push(s);
  const pos = new Map();
  columns.forEach((col, x) => col.forEach((s, y) => pos.set(s.key, { x: 10 + x * (W + GX), y: 10 + y * (H + GY) })));
  const width = 20 + columns.length * (W + GX) - GX;
  const height = 20 + Math.max(1, ...columns.map((c) => c.length)) * (H + GY) - GY;
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Step graph" });
  for (const s of steps) {
    for (const d of s.dependsOn || []) {
      const a = pos.get(d), b = pos.get(s.key);
      if (!a || !b) continue;
      svg.append(el("path", { d: `M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}` }));
    }
  }
  for (const s of steps) {
    const p = pos.get(s.key);
    const g = el("g", { class: `step step-${s.status || "pending"}`, "data-step": s.key, transform: `translate(${p.x},${p.y})` });
    g.append(el("title", {}, `${s.name || s.key}: ${s.status || "pending"}`));
    g.append(el("rect", { width: W, height: H, rx: 6 }));
    const label = (s.name || s.key);
    g.append(el("text", { x: 8, y: 15 }, label.length > 20 ? label.slice(0, 19) + "…" : label));
    g.append(el("text", { x: 8, y: 29, class: "state" }, s.status || "pending"));
    svg.append(g);
  }
  return svg;
}

export function setStepState(svg, key, status) {
  const g = svg.querySelector(`g[data-step="${CSS.escape(key)}"]`);
  if (!g) return;
  g.setAttribute("class", `step step-${status}`);
  g.querySelector("text.state").textContent = status;
  g.querySelector("title").textContent = `${key}: ${status}`;
}
