// Device cards grouped by area. Each card is built once from the device description and then updated
// in place from live events (state changes, availability) without re-rendering the board.

import { attributeName, commandName, deviceIcon, formatValue, typeName, valueName } from "./labels.js";
import { deriveControls, isAmbiguous, sliderStep, summarize } from "./model.js";
import { el, errorText, toast } from "./ui.js";

const OTHER_AREA = "기타";
let serial = 0;

class DeviceCard {
  constructor(device, board) {
    this.device = device;
    this.board = board;
    this.state = { ...(device.state || {}) };
    this.available = device.available !== false;
    this.controls = deriveControls(device);
    this.hasOn = (device.attributes || []).some((a) => a.name === "on");
    this.controlled = new Set([...this.controls.sliders, ...this.controls.selects].map((c) => c.attr.name));
    this.editing = new Set(); // attributes whose control the person is using right now
    this.sending = new Set(); // attributes (or "on") with a command in flight
    this.key = `dev${(serial += 1)}`;
    this.node = this.build();
    this.refresh();
  }

  build() {
    const d = this.device;
    const nameId = `${this.key}-name`;
    this.stateEl = el("p", { class: "state" });
    this.badge = el("span", { class: "badge unavailable-badge", text: "응답 없음", hidden: true });
    this.inputs = [];

    this.toggle = null;
    if (this.controls.power) {
      this.toggle = el("input", {
        type: "checkbox", class: "toggle",
        attrs: { role: "switch", "aria-label": `${d.name} 전원` },
        on: { change: () => this.onToggle() },
      });
      this.inputs.push(this.toggle);
    }
    const head = el("div", { class: "card-head" },
      el("span", { class: "icon", text: deviceIcon(d), attrs: { "aria-hidden": "true" } }),
      el("div", { class: "card-title" },
        el("h3", { class: "card-name", id: nameId, text: d.name }),
        el("span", { class: "card-meta", text: typeName(d.type) })),
      this.badge,
      this.toggle);

    this.sliders = new Map();
    this.selects = new Map();
    const controls = el("div", { class: "controls" });
    for (const ctrl of this.controls.sliders) controls.append(this.buildSlider(ctrl));
    for (const ctrl of this.controls.selects) controls.append(this.buildSelect(ctrl));
    if (this.controls.buttons.length) {
      const row = el("div", { class: "buttons" });
      for (const command of this.controls.buttons) {
        const button = el("button", {
          type: "button", class: command.sensitive ? "cmd sensitive" : "cmd",
          dataset: { command: command.name }, text: commandName(command.name),
          attrs: { "aria-label": `${d.name} ${commandName(command.name)}` },
          on: { click: () => this.onButton(command, button) },
        });
        this.inputs.push(button);
        row.append(button);
      }
      controls.append(row);
    }

    return el("article", {
      class: "card", dataset: { deviceId: d.id, type: d.type },
      attrs: { "aria-labelledby": nameId },
    }, head, this.stateEl, controls.childElementCount ? controls : null);
  }

  buildSlider(ctrl) {
    const { attr } = ctrl;
    const id = `${this.key}-${attr.name}`;
    const output = el("output", { class: "value", attrs: { for: id } });
    const input = el("input", {
      type: "range", id, min: String(attr.min), max: String(attr.max), step: String(sliderStep(attr)),
      dataset: { attr: attr.name },
      attrs: { "aria-label": `${this.device.name} ${attributeName(attr.name)}` },
    });
    const release = () => setTimeout(() => {
      if (!this.sending.has(attr.name)) {
        this.editing.delete(attr.name);
        this.refresh();
      }
    }, 150);
    input.addEventListener("pointerdown", () => this.editing.add(attr.name));
    input.addEventListener("pointerup", release);
    input.addEventListener("pointercancel", release);
    input.addEventListener("blur", release);
    input.addEventListener("input", () => {
      this.editing.add(attr.name);
      output.textContent = formatValue(attr, Number(input.value));
    });
    input.addEventListener("change", () => this.onSlider(ctrl, input));
    this.sliders.set(attr.name, { input, output, attr });
    this.inputs.push(input);
    return el("div", { class: "control control-range", dataset: { attr: attr.name } },
      el("div", { class: "control-label" }, el("label", { attrs: { for: id }, text: attributeName(attr.name) }), output),
      input);
  }

  buildSelect(ctrl) {
    const { attr } = ctrl;
    const id = `${this.key}-${attr.name}`;
    const select = el("select", {
      id, dataset: { attr: attr.name },
      attrs: { "aria-label": `${this.device.name} ${attributeName(attr.name)}` },
      on: { change: () => this.onSelect(ctrl, select) },
    });
    select.append(el("option", { value: "", text: "—", disabled: true, class: "placeholder" }));
    for (const value of attr.values) select.append(el("option", { value, text: valueName(value) }));
    this.selects.set(attr.name, { select, attr });
    this.inputs.push(select);
    return el("div", { class: "control control-select", dataset: { attr: attr.name } },
      el("label", { class: "control-label", attrs: { for: id }, text: attributeName(attr.name) }),
      select);
  }

  // -- people using the controls ------------------------------------------------------------------

  async onToggle() {
    const wanted = this.toggle.checked;
    const power = this.controls.power;
    const command = power.toggle || (wanted ? power.on : power.off);
    this.sending.add("on");
    try {
      await this.board.run(this, command, {});
    } finally {
      this.sending.delete("on");
      this.refresh();
    }
  }

  async onSlider(ctrl, input) {
    const name = ctrl.attr.name;
    this.editing.add(name);
    this.sending.add(name);
    try {
      await this.board.run(this, ctrl.command, { [ctrl.param]: Number(input.value) });
    } finally {
      this.sending.delete(name);
      this.editing.delete(name);
      this.refresh();
    }
  }

  async onSelect(ctrl, select) {
    const name = ctrl.attr.name;
    this.sending.add(name);
    try {
      await this.board.run(this, ctrl.command, { [ctrl.param]: select.value });
    } finally {
      this.sending.delete(name);
      this.refresh();
    }
  }

  async onButton(command, button) {
    button.classList.add("busy");
    button.setAttribute("aria-busy", "true");
    try {
      await this.board.run(this, command, {});
    } finally {
      button.classList.remove("busy");
      button.removeAttribute("aria-busy");
    }
  }

  // -- state in -------------------------------------------------------------------------------------

  merge(changes) {
    Object.assign(this.state, changes || {});
    this.refresh();
  }

  replace(state, available) {
    this.state = { ...(state || {}) };
    if (typeof available === "boolean") this.available = available;
    this.refresh();
  }

  setAvailable(available) {
    this.available = available !== false;
    this.refresh();
  }

  refresh() {
    const s = this.state;
    this.stateEl.textContent = summarize(this.device, s, this.controlled);
    if (this.hasOn) {
      this.stateEl.dataset.on = String(s.on === true);
      this.node.classList.toggle("is-on", s.on === true);
      this.node.classList.toggle("is-off", s.on !== true);
    }
    this.node.dataset.available = String(this.available);
    this.node.classList.toggle("unavailable", !this.available);
    this.badge.hidden = this.available;
    for (const input of this.inputs) input.disabled = !this.available;

    if (this.toggle && !this.sending.has("on")) {
      this.toggle.checked = s.on === true;
    }
    for (const [name, { input, output, attr }] of this.sliders) {
      if (this.editing.has(name) || this.sending.has(name)) continue;
      const value = s[name];
      if (typeof value === "number") input.value = String(value);
      output.textContent = formatValue(attr, typeof value === "number" ? value : null);
    }
    for (const [name, { select }] of this.selects) {
      if (this.sending.has(name) || document.activeElement === select) continue;
      const value = s[name];
      select.value = typeof value === "string" && [...select.options].some((o) => o.value === value) ? value : "";
    }
  }
}

/** The devices panel: cards grouped by area, kept live. */
export class DeviceBoard {
  /** `send(device, command, args, capability)` posts a command and resolves to the CommandResult. */
  constructor(container, { send }) {
    this.container = container;
    this.send = send;
    this.cards = new Map();
  }

  clear() {
    this.cards.clear();
    this.container.replaceChildren();
  }

  /** Build the board from areas and devices (both as the API lists them). */
  render(areas, devices) {
    this.clear();
    const groups = new Map(areas.map((a) => [a.id, { name: a.name, devices: [] }]));
    const other = { name: OTHER_AREA, devices: [] };
    for (const device of devices) (groups.get(device.area) || other).devices.push(device);
    const sections = [...groups.entries(), ["", other]].filter(([, group]) => group.devices.length);
    for (const [areaId, group] of sections) {
      const cards = el("div", { class: "cards" });
      for (const device of group.devices) {
        const card = new DeviceCard(device, this);
        this.cards.set(device.id, card);
        cards.append(card.node);
      }
      const headingId = `area-${areaId || "other"}`.replace(/[^\w-]/g, "_");
      this.container.append(el("section", { class: "area", dataset: { areaId }, attrs: { "aria-labelledby": headingId } },
        el("h2", { class: "area-name", id: headingId, text: group.name },
          el("span", { class: "count", text: ` ${group.devices.length}` })),
        cards));
    }
  }

  has(id) {
    return this.cards.has(id);
  }

  /** The device's name for people, or its id when the board does not know it. */
  name(id) {
    const card = this.cards.get(id);
    return card ? card.device.name : id;
  }

  /** The device description (with `attributes`), or undefined. */
  device(id) {
    const card = this.cards.get(id);
    return card && card.device;
  }

  /** Apply a live snapshot; false when it names devices the board does not have (or misses some). */
  applySnapshot(devices) {
    let same = Object.keys(devices || {}).length === this.cards.size;
    for (const [id, entry] of Object.entries(devices || {})) {
      const card = this.cards.get(id);
      if (!card) {
        same = false;
        continue;
      }
      card.replace(entry && entry.state, entry && entry.available);
    }
    return same;
  }

  applyChanges(id, changes) {
    const card = this.cards.get(id);
    if (card) card.merge(changes);
  }

  setAvailable(id, available) {
    const card = this.cards.get(id);
    if (card) card.setAvailable(available);
  }

  /** Send `command` to the card's device, after a confirm() for a sensitive one; toasts the outcome. */
  async run(card, command, args) {
    const device = card.device;
    if (command.sensitive && !window.confirm(`${device.name}: ${commandName(command.name)} — 정말 할까요?`)) {
      return false;
    }
    try {
      const capability = isAmbiguous(device, command) ? command.capability : undefined;
      const result = await this.send(device, command.name, args, capability);
      if (result && result.state) card.merge(result.state);
      if (result && result.confirmed === false) toast("보냈지만 아직 확인되지 않았어요", "info");
      return true;
    } catch (error) {
      if (error && error.status === 401) return false;
      toast(`${device.name}: ${errorText(error)}`, "error");
      return false;
    }
  }
}
