// Calls to the gateway, authenticated by the HttpOnly vai_token cookie: this script never sees the token.

export class SignedOut extends Error {}

export class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(status, body));
    this.status = status;
    this.body = body;
  }
}

function messageOf(status, body) {
  if (body && typeof body.detail === "string") return body.detail;
  if (body && Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
  if (body && body.message) return body.message;
  if (body && body.error) return String(body.error);
  return `The gateway answered ${status}.`;
}

export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { message: "The gateway cannot be reached. Check your connection and try again." });
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (response.status === 401 && path !== "/api/v1/session") throw new SignedOut();
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
