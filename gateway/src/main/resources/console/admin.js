// The operators' views, fed by the admin feed (GET /api/v1/admin/feed/{view}, server-sent events): a full frame
// first, then only what changed, at most one frame a second.
import { api, SignedOut } from "./api.js";
import { lineChart } from "./chart.js";
import * as Session from "./session.js";
import { h, say, statusBadge } from "./ui.js";

const STALE_HEARTBEAT_S = 60;

/** Follows one view of the feed; reconnects after a refusal only while the session is still good. */
function follow(name, guard, conn, onFrame) {
  let source = null;
  let retry = null;
  const open = () => {
    source = new EventSource(`/api/v1/admin/feed/${name}`, { withCredentials: true });
    source.addEventListener(name, (e) => onFrame(JSON.parse(e.data)));
    source.addEventListener("open", () => { conn.textContent = "live"; conn.dataset.state = "live"; });
    source.addEventListener("error", () => {
      conn.textContent = "reconnecting…";
      conn.dataset.state = "reconnecting";
      if (source.readyState !== EventSource.CLOSED) return;
      guard(async () => {
        if (!(await Session.load())) throw new SignedOut();
        retry = setTimeout(open, 2000);
      });
    });
  };
  open();
  return () => { clearTimeout(retry); source.close(); };
}

function liveHeader(title, conn, ...rest) {
  return h("div", { class: "row heading" }, h("h1", { text: title }), conn, ...rest);
}

function connection() {
  return h("span", { class: "conn", id: "feed-status", role: "status", text: "connecting…" });
}

function percent(value) {
  return value === null || value === undefined ? "—" : `${Math.round(value)}%`;
}

// --- fleet ---------------------------------------------------------------------------------------------------

export function fleetView(view, guard) {
  const conn = connection();
  const rows = new Map();
  const body = h("tbody", {});
  const summary = h("p", { id: "fleet-summary", class: "muted" });
  const empty = h("p", { class: "empty", id: "fleet-empty", hidden: true,
    text: "No servers yet. Register one with POST /api/v1/admin/servers; it shows here with its first heartbeat." });
  let offset = 0; // the service's clock minus this page's: heartbeat ages are read by the service's clock

  const age = (iso) => {
    if (!iso) return { text: "never", seconds: Infinity };
    const seconds = Math.max(0, Math.round((Date.now() + offset - Date.parse(iso)) / 1000));
    return { text: seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`, seconds };
  };
  const render = (s) => {
    const a = age(s.last_health_check);
    const used = s.max_threads ? Math.round((100 * s.active_tasks) / s.max_threads) : 0;
    const tr = h("tr", { "data-server": s.id, "data-status": s.status, "data-cpu": s.cpu_usage ?? "",
      "data-heartbeat": s.last_health_check ?? "" },
      h("td", { text: s.name }),
      h("td", {}, statusBadge(s.status)),
      h("td", { class: a.seconds > STALE_HEARTBEAT_S ? "age late" : "age", text: a.text }),
      h("td", { "data-label": "slots" }, h("progress", { max: 100, value: used, "aria-label": "Slots used" }),
        h("span", { class: "pct", text: `${s.active_tasks} / ${s.max_threads}` })),
      h("td", { class: "num", "data-label": "CPU", text: percent(s.cpu_usage) }),
      h("td", { class: "num", "data-label": "RAM", text: percent(s.ram_usage) }),
      h("td", { class: "num", "data-label": "disk", text: percent(s.disk_usage) }));
    const old = rows.get(s.id);
    rows.set(s.id, { server: s, tr });
    if (old) old.tr.replaceWith(tr);
    else body.append(tr);
  };
  const summarize = () => {
    const all = [...rows.values()].map((r) => r.server);
    const used = all.reduce((n, s) => n + s.active_tasks, 0);
    const max = all.reduce((n, s) => n + s.max_threads, 0);
    const online = all.filter((s) => s.status === "online" || s.status === "active").length;
    summary.textContent = `${all.length} servers, ${online} online or active · slots ${used} / ${max}`;
    empty.hidden = all.length > 0;
  };
  const ticker = setInterval(() => rows.forEach(({ server, tr }) => {
    const a = age(server.last_health_check);
    const cell = tr.querySelector("td.age");
    cell.textContent = a.text;
    cell.classList.toggle("late", a.seconds > STALE_HEARTBEAT_S);
  }), 1000);
  const stop = follow("fleet", guard, conn, (frame) => {
    offset = Date.parse(frame.at) - Date.now();
    if (frame.full) { rows.clear(); body.replaceChildren(); }
    frame.rows.forEach(render);
    summarize();
  });
  view.replaceChildren(liveHeader("Fleet", conn), summary,
    h("div", { class: "card scroll" }, h("table", { id: "fleet" },
      h("thead", {}, h("tr", {}, ["Server", "Status", "Last heartbeat", "Slots used", "CPU", "RAM", "Disk"]
        .map((t) => h("th", { text: t })))), body), empty));
  return () => { clearInterval(ticker); stop(); };
}

// --- campaigns -----------------------------------------------------------------------------------------------

function countsText(counts) {
  const order = ["pending", "queued", "running", "connect", "connecting", "completed", "failed", "canceled"];
  return order.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`).join(" · ") || "no links yet";
}

export function campaignsView(view, guard) {
  const conn = connection();
  const rows = new Map();
  const body = h("tbody", {});
  const empty = h("p", { class: "empty", id: "campaigns-empty", hidden: true,
    text: "No requests yet. Create one with POST /api/v1/admin/requests; it shows here at once." });

  const setStatus = (c, status, verb) => guard(async () => {
    await api("PUT", `/api/v1/admin/requests/${c.id}`, { status });
    say(`${c.name} ${verb}.`);
  });
  const retryFailed = (c) => guard(async () => {
    const answer = await api("POST", `/api/v1/admin/requests/${c.id}/retry-failed`);
    say(`${answer.updated} failed links of ${c.name} are pending again${answer.more ? "; retry again for the rest" : ""}.`);
  });
  const render = (c) => {
    const failed = c.counts.failed || 0;
    const actions = h("td", { class: "actions" },
      c.status === "running"
        ? h("button", { type: "button", "data-action": "pause", text: "Pause", onclick: () => setStatus(c, "pending", "paused") })
        : c.status === "pending"
          ? h("button", { type: "button", "data-action": "resume", text: "Resume", onclick: () => setStatus(c, "running", "resumed") })
          : null,
      h("button", { type: "button", "data-action": "retry-failed", text: `Retry failed (${failed})`, disabled: failed === 0,
        onclick: () => retryFailed(c) }));
    const tr = h("tr", { "data-campaign": c.id, "data-status": c.status },
      h("td", {}, h("strong", { text: c.name }), h("div", { class: "muted", text: `${c.service_type} · priority ${c.priority}` })),
      h("td", {}, statusBadge(c.status)),
      h("td", {}, h("progress", { max: 100, value: c.progress, "aria-label": "Progress" }),
        h("span", { class: "pct", text: c.target ? `${c.created_links} / ${c.target}` : `${c.progress}%` })),
      h("td", { class: "counts", text: countsText(c.counts) }),
      h("td", { class: "num", "data-label": "links/min", "data-rate": c.links_per_minute, text: `${c.links_per_minute}` }),
      h("td", { class: c.stale ? "num late" : "num", "data-label": "stale", "data-stale": c.stale, text: String(c.stale) }),
      actions);
    const old = rows.get(c.id);
    rows.set(c.id, tr);
    if (old) old.replaceWith(tr);
    else body.append(tr);
  };
  const stop = follow("campaigns", guard, conn, (frame) => {
    if (frame.full) { rows.clear(); body.replaceChildren(); }
    frame.rows.forEach(render);
    empty.hidden = rows.size > 0;
  });
  view.replaceChildren(liveHeader("Campaigns", conn),
    h("p", { class: "muted", text: "Paused requests are pending: the dispatcher neither generates nor assigns their links; links already on servers finish." }),
    h("div", { class: "card scroll" }, h("table", { id: "campaigns" },
      h("thead", {}, h("tr", {}, ["Request", "Status", "Progress", "Links by status", "Links / min", "Stale", ""]
        .map((t) => h("th", { text: t })))), body), empty));
  return stop;
}

// --- dispatcher ----------------------------------------------------------------------------------------------

export function dispatcherView(view, guard) {
  const conn = connection();
  const points = [];
  const charts = [
    { key: "assignments_per_second", title: "Assignments per second", chart: lineChart("chart-assignments", "Assignments per second") },
    { key: "pending", title: "Pending links", chart: lineChart("chart-pending", "Pending links") },
    { key: "p99_ms", title: "Time to assignment, p99 (ms)", chart: lineChart("chart-p99", "Time to assignment p99") },
  ];
  const cards = charts.map((c) => {
    c.value = h("span", { class: "big", text: "—" });
    c.top = h("span", { class: "muted" });
    return h("div", { class: "card chart-card" }, h("h2", {}, c.title, " ", c.value), c.chart.svg, c.top);
  });
  const stop = follow("dispatcher", guard, conn, (frame) => {
    if (frame.full) points.length = 0;
    points.push(...frame.rows);
    points.splice(0, Math.max(0, points.length - 300));
    for (const c of charts) {
      const values = points.map((p) => p[c.key]);
      const top = c.chart.draw(values);
      const last = values[values.length - 1];
      c.value.textContent = last === null || last === undefined ? "—" : String(last);
      c.top.textContent = `scale 0 – ${top} · last ${points.length} s`;
    }
  });
  view.replaceChildren(liveHeader("Dispatcher", conn), h("div", { class: "charts" }, cards));
  return stop;
}
