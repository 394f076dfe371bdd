// Who is signed in, as GET /api/v1/session tells it. The credential stays in the HttpOnly cookie; only when the
// session ends is remembered here (sessionStorage), to say "expired" rather than "not signed in" afterwards.
import { api } from "./api.js";

const EXPIRES = "runway.console.expiresAt";
let session = null;
let timer = null;
let endHandler = () => {};

export function current() {
  return session;
}

export function isAdmin() {
  return session?.role === "admin";
}

export function hasTenant() {
  return Boolean(session?.tenant);
}

/** Reads the session from the gateway; null when the cookie is missing, expired or refused. */
export async function load() {
  try {
    opened(await api("GET", "/api/v1/session"));
  } catch (e) {
    session = null;
  }
  return session;
}

/** Keeps a session the gateway just answered with; the onEnd handler runs when it expires while the page is open. */
export function opened(answer) {
  session = answer;
  sessionStorage.setItem(EXPIRES, answer.expiresAt);
  clearTimeout(timer);
  const left = Date.parse(answer.expiresAt) - Date.now();
  if (left > 0 && left < 2 ** 31) timer = setTimeout(() => { session = null; endHandler(endedMessage()); }, left);
}

export function onEnd(handler) {
  endHandler = handler;
}

export function clear() {
  session = null;
  clearTimeout(timer);
  sessionStorage.removeItem(EXPIRES);
}

/** What to tell someone whose requests are refused: expired (and when), no longer valid, or nothing on a first visit. */
export function endedMessage() {
  const expiresAt = sessionStorage.getItem(EXPIRES);
  if (!expiresAt) return "";
  if (Date.parse(expiresAt) <= Date.now()) {
    return `Your session expired at ${new Date(expiresAt).toLocaleTimeString()}. Sign in again to continue.`;
  }
  return "Your session is no longer valid (the gateway refused it). Sign in again to continue.";
}
