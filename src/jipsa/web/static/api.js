// The HTTP API client: JSON in and out, RFC 9457 problems as ApiError, the CSRF header on every
// non-GET request, and one handler for "signed out" (401) so the app can show the login view.

/** A failed API call, carrying the problem details the server sent. */
export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.type = problem.type || "";
    this.slug = this.type.startsWith("urn:jipsa:problem:") ? this.type.slice(18) : "";
    this.title = problem.title || "";
    this.detail = problem.detail || "";
    this.retryAfter = retryAfter;
  }
}

let csrfToken = null;
let unauthorizedHandler = null;

/** Remember the CSRF token from `Session` (login or `GET /api/auth/session`); null forgets it. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called with the ApiError whenever a call (other than the login itself) answers 401. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** Build a query string from an object, leaving out null/undefined/empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The path of a home's resource: `homePath("home 1", "devices", id)` → `/api/homes/home%201/devices/…`. */
export function homePath(home, ...parts) {
  return ["/api/homes", home, ...parts].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join("/");
}

async function readProblem(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      return await response.json();
    } catch {
      /* fall through */
    }
  }
  return { title: response.statusText || `HTTP ${response.status}`, status: response.status };
}

/**
 * Call the API. `options.body` is sent as JSON; `options.auth === false` keeps a 401 from signing the
 * page out (the login form shows it instead). Resolves to the parsed JSON, or null for 204.
 */
export async function request(method, path, options = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { title: "network", detail: "서버에 연결할 수 없어요." });
  }
  if (response.ok) {
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  const problem = await readProblem(response);
  const retry = response.headers.get("Retry-After");
  const error = new ApiError(response.status, problem, retry && /^\d+$/.test(retry) ? Number(retry) : null);

  // A stale CSRF token (e.g. the session was renewed in another tab): fetch the current one, retry once.
  if (error.status === 403 && error.slug === "csrf" && !options.retried && method !== "GET") {
    try {
      const session = await request("GET", "/api/auth/session");
      setCsrfToken(session && session.csrf_token);
      return await request(method, path, { ...options, retried: true });
    } catch (retryError) {
      if (retryError instanceof ApiError && retryError.status === 401) throw retryError;
      throw error;
    }
  }
  if (error.status === 401 && options.auth !== false && unauthorizedHandler) unauthorizedHandler(error);
  throw error;
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, body, options = {}) => request("POST", path, { ...options, body });
export const del = (path, options) => request("DELETE", path, options);

/** Every item of a paged list, following `next_cursor` (`limit` items a page, at most `maxPages`). */
export async function getAll(path, params = {}, { limit = 200, maxPages = 50 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const data = await get(path + query({ ...params, limit, cursor }));
    items.push(...((data && data.items) || []));
    cursor = data && data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** One page of a paged list: `{items, next_cursor}`. */
export async function getPage(path, params = {}) {
  const data = await get(path + query(params));
  return { items: (data && data.items) || [], next_cursor: (data && data.next_cursor) || null };
}
