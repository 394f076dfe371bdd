// Small DOM helpers shared by the console's views.

const flash = document.getElementById("flash");

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

export function say(message, kind = "info") {
  flash.textContent = message;
  flash.className = `flash ${kind}`;
  flash.hidden = !message;
}

export function statusBadge(status) {
  return h("span", { class: `status status-${status}`, "data-status": status, text: status });
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}
