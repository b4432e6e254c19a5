// Small DOM helpers shared by the dashboard's modules: element building, toasts, error text.

/**
 * Build an element. `props`: `class`, `text`, `dataset` (object), `attrs` (object of attributes),
 * `on` (object of event listeners), and any other key is set as a DOM property (`type`, `value`,
 * `disabled`, `hidden` …). Children may be nodes, strings, or null/false (skipped).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "attrs") {
      for (const [name, attr] of Object.entries(value)) {
        if (attr !== undefined && attr !== null && attr !== false) node.setAttribute(name, String(attr));
      }
    } else if (key === "on") {
      for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    } else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Show `node` (or hide it when `shown` is false) with the `hidden` attribute. */
export function show(node, shown = true) {
  node.hidden = !shown;
}

const TOAST_MS = 4500;

/** A short message at the bottom of the screen; `kind` is `info`, `ok` or `error`. */
export function toast(message, kind = "info") {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = el("div", { class: `toast ${kind}` }, message);
  box.append(item);
  while (box.childElementCount > 4) box.firstElementChild.remove();
  setTimeout(() => item.remove(), TOAST_MS);
}

const FALLBACK = {
  "bad-request": "요청이 올바르지 않아요.",
  unauthenticated: "다시 로그인해 주세요.",
  forbidden: "권한이 없어요.",
  csrf: "보안 토큰이 맞지 않아요. 새로고침해 주세요.",
  "not-found": "찾을 수 없어요.",
  "too-large": "요청이 너무 커요.",
  invalid: "입력이 올바르지 않아요.",
  "command-rejected": "기기가 명령을 거절했어요.",
  "not-understood": "무슨 말인지 이해하지 못했어요.",
  "rate-limited": "요청이 너무 많아요.",
  "device-unavailable": "기기가 응답하지 않아요.",
  "adapter-not-ready": "기기 연결을 준비하고 있어요.",
};

/** What to tell a person about a failed call: the problem's detail (or a Korean fallback). */
export function errorText(error) {
  if (!error) return "알 수 없는 오류가 났어요.";
  if (error.name !== "ApiError") return error.message || String(error);
  let text = error.detail || FALLBACK[error.slug] || error.title || `오류 (${error.status})`;
  if (error.status === 429 && error.retryAfter) text += ` (${error.retryAfter}초 뒤에 다시 해 보세요)`;
  return text;
}

/** A random UUID; `crypto.randomUUID` exists only in secure contexts (not plain http on a LAN). */
export function uuid() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
