// Routines (run one now) and schedules (the active ones, cancel one, add one by text). Adding and
// cancelling need the `manage` right: those controls hide for a guest and after any 403.

import { del, getAll, homePath, post } from "./api.js";
import { commandName, formatArgs, formatTime } from "./labels.js";
import { renderActions } from "./chat.js";
import { el, errorText, toast } from "./ui.js";

export class RoutinesPanel {
  /** `ids`: the elements of the panel; `deviceName(id)` gives a device's name for people. */
  constructor(ids, { deviceName }) {
    this.routineList = ids.routineList;
    this.routineStatus = ids.routineStatus;
    this.scheduleList = ids.scheduleList;
    this.scheduleStatus = ids.scheduleStatus;
    this.form = ids.form;
    this.input = ids.input;
    this.formError = ids.formError;
    this.deviceName = deviceName;
    this.home = null;
    this.canManage = true;
    this.generation = 0;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.addSchedule();
    });
  }

  /** Switch to `home` (a HomeSummary, or null after signing out). */
  setHome(home) {
    this.home = home;
    this.generation += 1;
    this.canManage = !home || home.role !== "guest";
    this.routineList.replaceChildren();
    this.scheduleList.replaceChildren();
    this.routineStatus.textContent = "";
    this.scheduleStatus.textContent = "";
    this.formError.hidden = true;
    this.applyManage();
  }

  applyManage() {
    this.form.hidden = !this.canManage;
    for (const button of this.scheduleList.querySelectorAll(".schedule-cancel")) button.hidden = !this.canManage;
  }

  /** Load (or reload) both lists. */
  async load() {
    if (!this.home) return;
    await Promise.all([this.loadRoutines(), this.loadSchedules()]);
  }

  async loadRoutines() {
    const generation = this.generation;
    const home = this.home;
    this.routineStatus.textContent = "불러오는 중…";
    try {
      const routines = await getAll(homePath(home.id, "routines"));
      if (generation !== this.generation) return;
      this.routineList.replaceChildren(...routines.map((r) => this.renderRoutine(r)));
      this.routineStatus.textContent = routines.length ? "" : "만들어 둔 루틴이 없어요.";
    } catch (error) {
      if (generation === this.generation) this.routineStatus.textContent = errorText(error);
    }
  }

  async loadSchedules() {
    const generation = this.generation;
    const home = this.home;
    this.scheduleStatus.textContent = "불러오는 중…";
    try {
      const schedules = await getAll(homePath(home.id, "schedules"), { status: "active" });
      if (generation !== this.generation) return;
      this.scheduleList.replaceChildren(...schedules.map((s) => this.renderSchedule(s)));
      this.scheduleStatus.textContent = schedules.length ? "" : "예약된 일이 없어요.";
      this.applyManage();
    } catch (error) {
      if (generation === this.generation) this.scheduleStatus.textContent = errorText(error);
    }
  }

  renderRoutine(routine) {
    const steps = (routine.actions || []).map(
      (a) => `${this.deviceName(a.device)} ${commandName(a.command)}${formatArgs(a.args) ? ` ${formatArgs(a.args)}` : ""}`);
    const result = el("div", { class: "result", attrs: { "aria-live": "polite" } });
    const button = el("button", {
      type: "button", class: "routine-run primary", text: "실행",
      attrs: { "aria-label": `${routine.name} 실행` },
    });
    button.addEventListener("click", () => this.runRoutine(routine, button, result));
    return el("li", { class: "item", dataset: { routineId: routine.id } },
      el("div", { class: "item-main" },
        el("strong", { class: "item-title", text: routine.name }),
        steps.length ? el("span", { class: "item-sub", text: steps.join(", ") }) : null,
        result),
      button);
  }

  async runRoutine(routine, button, result) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    result.replaceChildren();
    try {
      const path = homePath(this.home.id, "routines", routine.id, "run");
      let turn = await post(path, {});
      // A routine with sensitive steps (unlocking a door…) asks first: confirm, then run it confirmed.
      if (turn && turn.outcome === "asked") {
        if (!window.confirm(turn.reply || `${routine.name}: 정말 실행할까요?`)) {
          result.append(el("p", { class: "reply", text: "실행하지 않았어요." }));
          return;
        }
        turn = await post(path, { confirm: true });
      }
      result.append(el("p", { class: "reply", text: (turn && turn.reply) || "실행했어요." }));
      const actions = renderActions(turn && turn.actions, this.deviceName);
      if (actions) result.append(actions);
      toast((turn && turn.reply) || `${routine.name} 실행했어요.`, "ok");
    } catch (error) {
      result.append(el("p", { class: "reply error", text: errorText(error) }));
      toast(`${routine.name}: ${errorText(error)}`, "error");
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  renderSchedule(schedule) {
    const zone = this.home && this.home.timezone;
    const when = schedule.next_at ? `다음: ${formatTime(schedule.next_at, zone)}` : "";
    const sub = [when, schedule.created_by ? `만든 사람: ${schedule.created_by}` : ""].filter(Boolean).join(" · ");
    const button = el("button", {
      type: "button", class: "schedule-cancel ghost", text: "취소", hidden: !this.canManage,
      attrs: { "aria-label": `예약 취소: ${schedule.description || schedule.text}` },
    });
    const item = el("li", { class: "item", dataset: { scheduleId: schedule.id } },
      el("div", { class: "item-main" },
        el("strong", { class: "item-title", text: schedule.description || schedule.text }),
        schedule.description && schedule.text && schedule.text !== schedule.description
          ? el("span", { class: "item-quote", text: `“${schedule.text}”` }) : null,
        sub ? el("span", { class: "item-sub", text: sub }) : null,
        schedule.condition ? el("span", { class: "tag", text: "조건부" }) : null),
      button);
    button.addEventListener("click", () => this.cancelSchedule(schedule, item, button));
    return item;
  }

  async cancelSchedule(schedule, item, button) {
    button.disabled = true;
    try {
      await del(homePath(this.home.id, "schedules", schedule.id));
      item.remove();
      if (!this.scheduleList.childElementCount) this.scheduleStatus.textContent = "예약된 일이 없어요.";
      toast("예약을 취소했어요.", "ok");
    } catch (error) {
      button.disabled = false;
      if (error && error.status === 404) item.remove();
      this.forbidden(error);
      toast(errorText(error), "error");
    }
  }

  async addSchedule() {
    const text = this.input.value.trim();
    if (!text || !this.home) return;
    const button = this.form.querySelector("button[type=submit]");
    button.disabled = true;
    this.formError.hidden = true;
    try {
      const schedule = await post(homePath(this.home.id, "schedules"), { text });
      this.input.value = "";
      toast(schedule && schedule.description ? `예약했어요: ${schedule.description}` : "예약했어요.", "ok");
      await this.loadSchedules();
    } catch (error) {
      if (!this.forbidden(error)) {
        this.formError.textContent = errorText(error);
        this.formError.hidden = false;
      } else {
        toast(errorText(error), "error");
      }
    } finally {
      button.disabled = false;
    }
  }

  /** After a 403, hide what this person may not do; true when it was one. */
  forbidden(error) {
    if (!error || error.status !== 403 || error.slug === "csrf") return false;
    this.canManage = false;
    this.applyManage();
    return true;
  }
}
