// The history: the newest events of the home (GET /history, newest first), 50 at a time, grouped by
// day, with "더 보기" following next_cursor. Guests may not read it (403).

import { getPage, homePath } from "./api.js";
import { clockTime, commandName, dayKey, describeValue, formatArgs } from "./labels.js";
import { el, errorText } from "./ui.js";

const PAGE = 50;

/** What an event says, in words: `밝기 80%, 켜짐`, `응답 없음`, `명령: 켜기` … */
export function describeEvent(event, device) {
  const data = event.data || {};
  const attrs = new Map(((device && device.attributes) || []).map((a) => [a.name, a]));
  switch (event.type) {
    case "state_changed":
      return Object.entries(data.changes || {})
        .map(([name, value]) => describeValue(attrs.get(name), name, value)).join(", ") || "상태 변경";
    case "availability_changed":
      return data.available ? "다시 응답함" : "응답 없음";
    case "command_done": {
      const args = formatArgs(data.args);
      return `명령: ${commandName(data.command || "")}${args ? ` ${args}` : ""}`;
    }
    case "command_failed": {
      const args = formatArgs(data.args);
      return `명령 실패: ${commandName(data.command || "")}${args ? ` ${args}` : ""}${data.error ? ` — ${data.error}` : ""}`;
    }
    case "device_added":
      return data.updated ? "기기 정보가 바뀜" : "기기 추가됨";
    case "device_removed":
      return "기기 제거됨";
    default:
      return String(event.type || "");
  }
}

export class HistoryPanel {
  /** `board` gives device names and descriptions (`name(id)`, `device(id)`). */
  constructor({ list, status, more, refresh }, board) {
    this.list = list;
    this.status = status;
    this.more = more;
    this.board = board;
    this.home = null;
    this.cursor = null;
    this.loaded = false;
    this.loading = false;
    this.lastDay = "";
    this.generation = 0;
    more.addEventListener("click", () => this.load(false));
    refresh.addEventListener("click", () => this.load(true));
  }

  /** Switch to `home` (a HomeSummary, or null); nothing loads until the panel is shown. */
  setHome(home) {
    this.home = home;
    this.generation += 1;
    this.loaded = false;
    this.loading = false;
    this.cursor = null;
    this.lastDay = "";
    this.list.replaceChildren();
    this.status.textContent = "";
    this.more.hidden = true;
  }

  /** The panel became visible: load the first page once. */
  show() {
    if (!this.loaded && !this.loading) this.load(true);
  }

  async load(reset) {
    if (!this.home || (this.loading && !reset)) return;
    const generation = (this.generation += 1);
    this.loading = true;
    this.more.disabled = true;
    if (reset) this.status.textContent = "불러오는 중…";
    try {
      const page = await getPage(homePath(this.home.id, "history"),
        { limit: PAGE, cursor: reset ? null : this.cursor });
      if (generation !== this.generation) return;
      if (reset) {
        this.list.replaceChildren();
        this.lastDay = "";
      }
      for (const event of page.items) this.append(event);
      this.cursor = page.next_cursor;
      this.loaded = true;
      this.more.hidden = !this.cursor;
      this.status.textContent = this.list.childElementCount ? "" : "아직 기록이 없어요.";
    } catch (error) {
      if (generation !== this.generation) return;
      if (error && error.status === 403) {
        this.list.replaceChildren();
        this.more.hidden = true;
        this.loaded = true;
        this.status.textContent = "기록을 볼 권한이 없어요";
      } else {
        this.status.textContent = errorText(error);
      }
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.more.disabled = false;
      }
    }
  }

  append(event) {
    const zone = this.home && this.home.timezone;
    const day = dayKey(event.at, zone);
    if (day && day !== this.lastDay) {
      this.lastDay = day;
      this.list.append(el("li", { class: "day" }, el("span", { text: day })));
    }
    const device = event.device_id ? this.board.device(event.device_id) : undefined;
    const data = event.data || {};
    const name = event.device_id ? (device ? device.name : data.name || event.device_id) : "집";
    this.list.append(el("li", {
      class: `event type-${String(event.type || "").replace(/[^\w-]/g, "")}`,
      dataset: { eventId: String(event.id ?? ""), type: event.type || "", deviceId: event.device_id || "" },
    },
    el("time", { class: "time", dateTime: event.at || "", text: clockTime(event.at, zone) }),
    el("span", { class: "device", text: name }),
    el("span", { class: "what", text: describeEvent(event, device) })));
  }
}
