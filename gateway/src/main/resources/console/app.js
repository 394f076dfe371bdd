// The Runway console: a hash-routed single page (#/runs, #/runs/<id>, #/automations, #/fleet, #/campaigns,
// #/dispatcher, #/sign-in).
import { api, ApiError, SignedOut } from "./api.js";
import { drawDag, setStepState } from "./dag.js";
import { h, say, statusBadge, when } from "./ui.js";
import * as Session from "./session.js";
import { fleetView, campaignsView, dispatcherView } from "./admin.js";

const view = document.getElementById("view");
const nav = document.getElementById("nav");
const TERMINAL = new Set(["completed", "failed", "canceled"]);
const RUN_STATUSES = ["pending", "running", "completed", "failed", "canceled"];
const MAX_LIVE_ROWS = 4; // a browser opens at most 6 HTTP/1.1 connections per origin
let cleanup = () => {};

function signedOut(message) {
  Session.clear();
  location.hash = "#/sign-in";
  if (message) say(message, "error");
}

async function guard(action) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof SignedOut) {
      signedOut(Session.endedMessage() || "Your session is no longer valid. Sign in again to continue.");
      return undefined;
    }
    say(e instanceof ApiError ? e.message : String(e), "error");
    return undefined;
  }
}

// --- sign-in -------------------------------------------------------------------------------------------------

function signInForm({ id, title, intro, field, label, button, body }) {
  const error = h("p", { class: "field-error", id: `${field.id}-error`, role: "alert" });
  field.setAttribute("aria-describedby", error.id);
  const form = h("form", { class: "card", id },
    h("h2", { text: title }), h("p", { text: intro }),
    h("label", { for: field.id, text: label }), field, error,
    h("button", { type: "submit", class: "primary", id: button, text: "Sign in" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const answer = await api("POST", "/api/v1/session", body(field.value.trim()));
      field.value = "";
      Session.opened(answer);
      say("");
      location.hash = home();
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? `The gateway refused it: ${e.message}` : e.message;
      field.focus();
    }
  });
  return form;
}

function signInView() {
  showNav(false);
  const token = h("textarea", { id: "token", name: "token", rows: 4, required: true, autocomplete: "off",
    placeholder: "eyJhbGciOi…" });
  const adminKey = h("input", { id: "admin-key", name: "adminKey", type: "password", required: true,
    autocomplete: "off" });
  view.replaceChildren(h("h1", { text: "Sign in" }),
    signInForm({ id: "sign-in-form", title: "With a token", field: token, label: "Token", button: "sign-in",
      intro: "Paste a user token (JWT) from your identity provider. The gateway keeps it in an HttpOnly cookie; this page never stores it.",
      body: (value) => ({ token: value }) }),
    signInForm({ id: "admin-sign-in-form", title: "As an operator", field: adminKey, label: "Admin key",
      button: "admin-sign-in",
      intro: "Operators sign in with the admin key for the fleet, campaigns and dispatcher views. The gateway answers with a session cookie of its own and never keeps the key.",
      body: (value) => ({ adminKey: value }) }));
  token.focus();
}

async function signOut() {
  await api("DELETE", "/api/v1/session").catch(() => {});
  Session.clear();
  location.hash = "#/sign-in";
  say("Signed out.");
}

function home() {
  return Session.isAdmin() ? "#/fleet" : "#/runs";
}

function showNav(visible) {
  nav.hidden = !visible;
  for (const a of nav.querySelectorAll("a[data-nav]")) {
    const admin = a.dataset.role === "admin";
    a.hidden = admin ? !Session.isAdmin() : !Session.hasTenant();
  }
  if (!visible) for (const a of nav.querySelectorAll("a[aria-current]")) a.removeAttribute("aria-current");
}

// --- runs ----------------------------------------------------------------------------------------------------

function progressCell(run) {
  const bar = h("progress", { max: 100, value: run.status === "completed" ? 100 : 0, "aria-label": "Progress" });
  const pct = h("span", { class: "pct", text: run.status === "completed" ? "100%" : "" });
  return { cell: h("td", {}, bar, pct), bar, pct };
}

function followRun(runId, onStatus) {
  // The SocialKing face's stream: one "status" event per change with the run's progress; the cookie authenticates it.
  const source = new EventSource(`/api/v1/automation/run/${runId}/sse`, { withCredentials: true });
  source.addEventListener("status", (e) => {
    const s = JSON.parse(e.data);
    onStatus(s);
    if (TERMINAL.has(s.status) || s.status === "success" || s.status === "cancelled") source.close();
  });
  return source;
}

async function runsView(params) {
  const status = params.get("status") || "";
  const automationId = params.get("automation") || "";
  const after = params.get("after") || "";
  const limit = String(Math.min(100, Math.max(1, Number.parseInt(params.get("limit") || "20", 10) || 20)));
  const automations = await api("GET", "/api/v1/automations?limit=200");
  const query = new URLSearchParams({ limit });
  if (status) query.set("status", status);
  if (automationId) query.set("automationId", automationId);
  if (after) query.set("after", after);
  const page = await api("GET", `/api/v1/automation-runs?${query}`);
  const names = new Map(automations.items.map((a) => [a.id, a.name]));
  const sources = [];

  const statusSelect = h("select", { id: "filter-status", name: "status" },
    h("option", { value: "", text: "Any status" }),
    RUN_STATUSES.map((s) => h("option", { value: s, text: s, selected: s === status })));
  const automationSelect = h("select", { id: "filter-automation", name: "automation" },
    h("option", { value: "", text: "Any automation" }),
    automations.items.map((a) => h("option", { value: a.id, text: a.name, selected: a.id === automationId })));
  const applyFilters = () => {
    const next = new URLSearchParams();
    if (statusSelect.value) next.set("status", statusSelect.value);
    if (automationSelect.value) next.set("automation", automationSelect.value);
    location.hash = `#/runs?${next}`;
  };
  statusSelect.addEventListener("change", applyFilters);
  automationSelect.addEventListener("change", applyFilters);

  const rows = page.items.map((run) => {
    const progress = progressCell(run);
    const badge = h("td", {}, statusBadge(run.status));
    const stop = h("button", { type: "button", class: "danger", "data-action": "stop", text: "Stop",
      hidden: TERMINAL.has(run.status) || undefined,
      onclick: () => guard(async () => {
        await api("POST", `/api/v1/automation/run/${run.id}/stop`, {});
        say(`Run ${run.id.slice(0, 8)} stopped.`);
      }) });
    const row = h("tr", { "data-run": run.id, "data-status": run.status },
      h("td", {}, h("a", { href: `#/runs/${run.id}`, class: "mono", text: run.id.slice(0, 8) })),
      h("td", { text: names.get(run.automationId) || run.automationId }),
      badge, progress.cell,
      h("td", { text: when(run.createdAt) }),
      h("td", { class: "actions" }, stop));
    if (!TERMINAL.has(run.status) && sources.length < MAX_LIVE_ROWS) {
      sources.push(followRun(run.id, (s) => {
        progress.bar.value = s.progress ?? 0;
        progress.pct.textContent = `${s.progress ?? 0}%`;
        const name = s.status === "success" ? "completed" : s.status === "cancelled" ? "canceled" : s.status;
        badge.replaceChildren(statusBadge(name));
        row.setAttribute("data-status", name);
        if (TERMINAL.has(name)) stop.hidden = true;
      }));
    }
    return row;
  });

  const table = rows.length
    ? h("table", { class: "runs" },
        h("thead", {}, h("tr", {}, ["Run", "Automation", "Status", "Progress", "Created", ""].map((t) => h("th", { text: t })))),
        h("tbody", {}, rows))
    : h("p", { class: "empty", id: "runs-empty",
        text: status || automationId ? "No run matches these filters. Clear them to see every run."
          : "No runs yet. Start one from the Automations page." });
  const more = page.nextCursor
    ? h("a", { href: `#/runs?${new URLSearchParams({ ...(status && { status }), ...(automationId && { automation: automationId }), ...(limit !== "20" && { limit }), after: page.nextCursor })}`, id: "next-page", text: "Older runs →" })
    : null;
  view.replaceChildren(
    h("h1", { text: "Runs" }),
    h("div", { class: "card filters" },
      h("div", {}, h("label", { for: "filter-status", text: "Status" }), statusSelect),
      h("div", {}, h("label", { for: "filter-automation", text: "Automation" }), automationSelect)),
    h("div", { class: "card" }, table, h("p", { class: "row" }, after ? h("a", { href: limit !== "20" ? `#/runs?limit=${limit}` : "#/runs", id: "newest-page", text: "← Newest" }) : null, more)));
  return () => sources.forEach((s) => s.close());
}

// --- run detail ----------------------------------------------------------------------------------------------

async function runView(runId) {
  const run = await api("GET", `/api/v1/automation-runs/${runId}`);
  const steps = await api("GET", `/api/v1/automation-runs/${runId}/steps`);
  const svg = drawDag(steps.steps);
  const badge = h("span", { id: "run-status" }, statusBadge(run.status));
  const bar = h("progress", { id: "run-progress", max: 100, value: run.status === "completed" ? 100 : 0, "aria-label": "Progress" });
  const log = h("ol", { class: "log", id: "event-log", "aria-live": "off" });
  const conn = h("span", { class: "conn", id: "connection", text: "connecting…" });
  const seen = new Set();
  let duplicates = 0;
  const stop = h("button", { type: "button", class: "danger", id: "stop", text: "Stop",
    onclick: () => guard(async () => { await api("POST", `/api/v1/automation/run/${runId}/stop`, {}); say("Run stopped."); }) });
  const retryMode = h("select", { id: "retry-mode", "aria-label": "Retry mode" },
    h("option", { value: "from_failed", text: "from failed steps" }),
    h("option", { value: "from_step", text: "from a step" }),
    h("option", { value: "full", text: "full" }));
  const retryStep = h("select", { id: "retry-step", "aria-label": "Retry from step" },
    steps.steps.map((s) => h("option", { value: s.key, text: s.name || s.key })));
  const retry = h("button", { type: "button", id: "retry", text: "Retry",
    onclick: () => guard(async () => {
      const body = { mode: retryMode.value };
      if (retryMode.value === "from_step") body.stepKey = retryStep.value;
      await api("POST", `/api/v1/automation-runs/${runId}/retry`, body);
      say("Run retried.");
      route();
    }) });
  const setStatus = (status) => {
    badge.replaceChildren(statusBadge(status));
    stop.disabled = TERMINAL.has(status);
    retry.disabled = !TERMINAL.has(status);
  };
  setStatus(run.status);

  // The generic face's stream: the whole history, then live events. When the connection drops, EventSource
  // reconnects by itself with Last-Event-ID and the service sends exactly what was missed. While run-service is away
  // the gateway answers 503, which ends an EventSource for good: the page then opens a new one, whose history is
  // replayed up to the last event shown and dropped (counted apart from duplicates, which would be a fault).
  let source = null;
  let retryTimer = null;
  let replayUntil = 0;
  const onEvent = (e) => {
    const ev = JSON.parse(e.data);
    if (seen.has(ev.seq)) {
      if (ev.seq <= replayUntil) { log.dataset.replayed = String(Number(log.dataset.replayed || 0) + 1); return; }
      duplicates++;
      log.dataset.duplicates = String(duplicates);
      return;
    }
    seen.add(ev.seq);
    log.dataset.count = String(seen.size);
    log.dataset.last = String(ev.seq);
    log.append(h("li", { "data-seq": ev.seq },
      `#${ev.seq} ${new Date(ev.createdAt).toLocaleTimeString()} ${ev.type}${ev.stepKey ? " " + ev.stepKey : ""} → ${ev.status}${ev.message ? " · " + ev.message : ""}`));
    log.scrollTop = log.scrollHeight;
    if (ev.type === "step" && ev.stepKey) setStepState(svg, ev.stepKey, ev.status);
    if (ev.type === "run") {
      bar.value = ev.progress ?? bar.value;
      setStatus(ev.status);
    }
  };
  const connect = () => {
    source = new EventSource(`/api/v1/automation-runs/${runId}/events`, { withCredentials: true });
    source.addEventListener("run", onEvent);
    source.addEventListener("step", onEvent);
    source.addEventListener("open", () => { conn.textContent = "live"; conn.dataset.state = "live"; });
    // A finished run's stream may end; only then is it closed (a replayed "failed" may be followed by a retry's events).
    source.addEventListener("error", () => {
      if (TERMINAL.has(badge.firstChild?.dataset.status)) { source.close(); conn.textContent = "finished"; return; }
      conn.textContent = "reconnecting…";
      conn.dataset.state = "reconnecting";
      if (source.readyState !== EventSource.CLOSED) return;
      replayUntil = Math.max(0, ...seen);
      conn.dataset.reopened = String(Number(conn.dataset.reopened || 0) + 1);
      guard(async () => {
        if (!(await Session.load())) throw new SignedOut();
        retryTimer = setTimeout(connect, 2000);
      });
    });
  };
  connect();

  view.replaceChildren(
    h("p", {}, h("a", { href: "#/runs", text: "← Runs" })),
    h("h1", {}, "Run ", h("span", { class: "mono", text: runId })),
    h("div", { class: "card row" }, badge, bar, conn, stop, retryMode, retryStep, retry),
    h("h2", { text: "Steps" }), h("div", { class: "card dag", id: "dag" }, svg),
    h("h2", { text: "Events" }), h("div", { class: "card" }, log));
  return () => { clearTimeout(retryTimer); source.close(); };
}

// --- automations ---------------------------------------------------------------------------------------------

const EXAMPLE = JSON.stringify({ steps: [
  { key: "wait", name: "Wait", type: "delay", dependsOn: [], config: { seconds: 1 } },
  { key: "done", name: "Log", type: "log", dependsOn: ["wait"], config: {} }] }, null, 2);

async function automationsView() {
  const page = await api("GET", "/api/v1/automations?limit=200");
  const list = page.items.length
    ? h("table", { id: "automations" },
        h("thead", {}, h("tr", {}, ["Name", "Steps", "Updated", ""].map((t) => h("th", { text: t })))),
        h("tbody", {}, page.items.map((a) => h("tr", { "data-automation": a.id },
          h("td", { text: a.name }),
          h("td", { text: String((a.steps || a.definition?.steps || []).length || "") }),
          h("td", { text: when(a.updatedAt || a.createdAt) }),
          h("td", { class: "actions" }, h("button", { type: "button", class: "primary", "data-action": "start", text: "Start run",
            onclick: () => guard(async () => {
              const started = await api("POST", `/api/v1/automation/run/${a.id}/start`, {});
              say(`Run ${started.data.runId.slice(0, 8)} of ${a.name} started.`);
              location.hash = "#/runs";
            }) }))))))
    : h("p", { class: "empty", id: "automations-empty", text: "No automations yet. Create one below from a JSON definition." });

  const name = h("input", { id: "automation-name", name: "name", required: true, "aria-describedby": "name-error" });
  const nameError = h("p", { class: "field-error", id: "name-error", role: "alert" });
  const definition = h("textarea", { id: "automation-definition", name: "definition", spellcheck: "false", "aria-describedby": "definition-error" });
  definition.value = EXAMPLE;
  const definitionError = h("div", { class: "field-error", id: "definition-error", role: "alert" });
  const form = h("form", { class: "card", id: "create-automation" },
    h("h2", { text: "New automation" }),
    h("label", { for: "automation-name", text: "Name" }), name, nameError,
    h("label", { for: "automation-definition", text: "Definition (JSON: steps with key, name, type, dependsOn, config)" }),
    definition, definitionError,
    h("button", { type: "submit", class: "primary", id: "create", text: "Create" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    nameError.textContent = "";
    definitionError.replaceChildren();
    let body;
    try {
      body = JSON.parse(definition.value || "{}");
    } catch (e) {
      definitionError.textContent = `Not valid JSON: ${e.message}`;
      definition.focus();
      return;
    }
    body.name = name.value;
    try {
      await api("POST", "/api/v1/automations", body);
      say(`Automation ${name.value} created.`);
      route();
    } catch (e) {
      if (e instanceof SignedOut) return signedOut(Session.endedMessage() || "Your session is no longer valid. Sign in again.");
      const details = e instanceof ApiError && Array.isArray(e.body?.detail) ? e.body.detail : null;
      if (!details) { definitionError.textContent = e.message; return; }
      for (const d of details) {
        const path = (d.loc || []).filter((p) => p !== "body");
        if (path[0] === "name") nameError.textContent = d.msg;
        else definitionError.append(h("p", { "data-loc": path.join("."), text: `${path.join(".") || "definition"}: ${d.msg}` }));
      }
      (nameError.textContent ? name : definition).focus();
    }
  });
  view.replaceChildren(h("h1", { text: "Automations" }), h("div", { class: "card" }, list), form);
  return () => {};
}

// --- routing -------------------------------------------------------------------------------------------------

async function route() {
  cleanup();
  cleanup = () => {};
  const [path, queryString] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(queryString || "");
  if (path === "/sign-in") return signInView();
  if (!Session.current() && !(await Session.load())) return signedOut(Session.endedMessage());
  if (path === "/") { location.hash = home(); return undefined; }
  showNav(true);
  for (const a of nav.querySelectorAll("a[data-nav]")) {
    if (path.startsWith(`/${a.dataset.nav}`)) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const parts = path.split("/").filter(Boolean);
  const done = await guard(async () => {
    if (parts[0] === "fleet") return fleetView(view, guard);
    if (parts[0] === "campaigns") return campaignsView(view, guard);
    if (parts[0] === "dispatcher") return dispatcherView(view, guard);
    if (parts[0] === "automations") return automationsView();
    if (parts[0] === "runs" && parts[1]) return runView(parts[1]);
    return runsView(params);
  });
  if (typeof done === "function") cleanup = done;
  const who = Session.current();
  document.getElementById("who").textContent = !who ? ""
    : who.role === "admin" ? `operator ${who.userId}${who.tenant ? " · " + who.tenant : ""}` : `${who.userId} · ${who.tenant}`;
}

Session.onEnd((message) => signedOut(message));
document.getElementById("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
