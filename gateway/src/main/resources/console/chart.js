// A live line chart in plain SVG: the last points of one series, its latest value and the scale's top.
const NS = "http://www.w3.org/2000/svg";
const W = 560, H = 140, PAD = 4;

function el(name, attrs) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function lineChart(id, label) {
  const svg = el("svg", { id, class: "chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img",
    "aria-label": label });
  const line = el("polyline", { points: "" });
  svg.append(el("line", { x1: 0, y1: H - PAD, x2: W, y2: H - PAD, class: "axis" }), line);
  return {
    svg,
    draw(values) {
      const known = values.filter((v) => v !== null && v !== undefined);
      const top = Math.max(1, ...known);
      const step = values.length > 1 ? W / (values.length - 1) : W;
      line.setAttribute("points", values.map((v, i) => v === null || v === undefined ? null
        : `${(i * step).toFixed(1)},${(H - PAD - (v / top) * (H - 2 * PAD)).toFixed(1)}`).filter(Boolean).join(" "));
      svg.dataset.top = String(top);
      svg.dataset.last = known.length ? String(known[known.length - 1]) : "";
      return top;
    },
  };
}
