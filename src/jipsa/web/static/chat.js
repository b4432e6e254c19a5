// The chat box: typed requests to POST /api/conversation, the assistant's replies, and a compact list
// of what was done. One conversation_id per page keeps context between turns ("더 밝게").

import { post } from "./api.js";
import { commandName, formatArgs } from "./labels.js";
import { el, errorText, uuid } from "./ui.js";

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
const LATIN = /[A-Za-z]/;

/** The reply language for a typed text: `ko` with any Hangul, `en` with Latin letters only, else none. */
export function guessLanguage(text) {
  if (HANGUL.test(text)) return "ko";
  if (LATIN.test(text)) return "en";
  return undefined;
}

export class Chat {
  /** `getHome()` gives the current home id; `deviceName(id)` a device's name for people. */
  constructor({ form, input, log, button, getHome, deviceName }) {
    this.form = form;
    this.input = input;
    this.log = log;
    this.button = button;
    this.getHome = getHome;
    this.deviceName = deviceName || ((id) => id);
    this.conversationId = uuid();
    this.busy = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
  }

  /** Forget the lines shown (after signing out); the conversation id stays for the page. */
  reset() {
    this.log.replaceChildren();
    this.input.value = "";
  }

  append(node) {
    this.log.append(node);
    node.scrollIntoView({ block: "end", behavior: "smooth" });
    return node;
  }

  async send() {
    const text = this.input.value.trim();
    if (!text || this.busy) return;
    this.busy = true;
    this.form.setAttribute("aria-busy", "true");
    this.input.value = "";
    this.append(el("li", { class: "msg user", attrs: { lang: guessLanguage(text) === "en" ? "en" : null } },
      el("span", { class: "sr-only", text: "나: " }), el("p", { class: "bubble", text })));
    const pending = this.append(el("li", { class: "msg bot pending", attrs: { "aria-label": "답을 기다리는 중" } },
      el("p", { class: "bubble", text: "…" })));

    const body = { text, conversation_id: this.conversationId };
    const home = this.getHome();
    if (home) body.home = home;
    const language = guessLanguage(text);
    if (language) body.language = language;
    try {
      const answer = await post("/api/conversation", body);
      if (answer && answer.conversation_id) this.conversationId = answer.conversation_id;
      pending.replaceWith(this.renderAnswer(answer || {}, language));
    } catch (error) {
      pending.replaceWith(el("li", { class: "msg bot error" },
        el("p", { class: "bubble", text: errorText(error) })));
    } finally {
      this.busy = false;
      this.form.removeAttribute("aria-busy");
      this.log.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" });
    }
  }

  renderAnswer(answer, language) {
    const item = el("li", {
      class: `msg bot${answer.awaiting_confirmation ? " awaiting" : ""}`,
      dataset: { outcome: answer.outcome || "" },
      attrs: { lang: language === "en" ? "en" : null },
    }, el("span", { class: "sr-only", text: "집사: " }), el("p", { class: "bubble", text: answer.reply || "" }));
    const actions = renderActions(answer.actions, this.deviceName);
    if (actions) item.append(actions);
    return item;
  }
}

/** A compact list of actions done (`✓ 거실 조명 · 켜기`), or null when there are none. */
export function renderActions(actions, deviceName) {
  if (!Array.isArray(actions) || actions.length === 0) return null;
  const list = el("ul", { class: "actions", attrs: { "aria-label": "한 일" } });
  for (const action of actions) {
    const ok = action.ok !== false;
    const args = formatArgs(action.args);
    const what = `${deviceName(action.device_id)} · ${commandName(action.command)}${args ? ` ${args}` : ""}`;
    list.append(el("li", {
      class: `action ${ok ? "ok" : "failed"}`,
      dataset: { deviceId: action.device_id || "", command: action.command || "" },
      attrs: { title: ok ? null : action.error || null },
    },
    el("span", { class: "mark", text: ok ? "✓" : "✗", attrs: { "aria-hidden": "true" } }),
    el("span", { class: "sr-only", text: ok ? "성공: " : "실패: " }),
    ` ${what}`,
    !ok && action.error ? el("span", { class: "action-error", text: ` — ${action.error}` }) : null));
  }
  return list;
}
