/**
 * Calls to the API from the site's pages, each written on the waiter's notepad.
 *
 * The access token is in an httpOnly cookie that the browser sends by itself;
 * this code never sees it. Unsafe requests carry the CSRF token, which a cookie-
 * authenticated request needs. A token the page does hold (the tamper lab's) goes
 * in the Authorization header instead.
 */
import { record } from "./notepad.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const TRAVEL = {
  cookie: "httpOnly cookie — JavaScript cannot read it",
  bearer: "Bearer header",
  none: "none",
};

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

function signedIn() {
  return document.body.dataset.signedIn === "true";
}

/**
 * Send one request; resolve to {status, ok, data, headers} whatever the status.
 *
 * options.body is sent as JSON; options.bearer, a token string, goes in the
 * Authorization header; options.headers adds headers (e.g. Idempotency-Key);
 * options.travel words the notepad's "ID card" column when the endpoint ignores
 * the cookie (the front desk reads a password or a token from the body).
 */
export async function callApi(method, path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers ?? {}) };
  const init = { method, headers, credentials: "same-origin" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method)) headers["X-CSRFToken"] = csrfToken();
  let travel = signedIn() ? TRAVEL.cookie : TRAVEL.none;
  if (options.bearer) {
    headers.Authorization = `Bearer ${options.bearer}`;
    travel = TRAVEL.bearer;
  }
  if (options.travel) travel = options.travel;
  const started = performance.now();
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    record({ method, path, status: 0, ms: Math.round(performance.now() - started), travel, body: null });
    return { status: 0, ok: false, data: null, headers: new Headers() };
  }
  // A card that ran out was renewed on the way: the server sent the call through
  // /account/renew/, which set a new pair, and the browser followed by itself.
  if (response.redirected) travel = `${travel}, renewed on the way at /account/renew/`;
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  record({
    method,
    path,
    status: response.status,
    ms: Math.round(performance.now() - started),
    travel,
    body: data,
  });
  return { status: response.status, ok: response.ok, data, headers: response.headers };
}
