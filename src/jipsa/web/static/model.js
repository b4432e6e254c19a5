// What a device card offers, derived generically from the device's `attributes` and `commands`
// (never from its type): a power switch, sliders, choice lists and buttons, plus the state summary.

import { describeValue, isQuietValue } from "./labels.js";

/** Commands the power switch stands for; they get no button of their own. */
const POWER_COMMANDS = new Set(["turn_on", "turn_off", "toggle"]);

const MAX_SUMMARY_PARTS = 4;

const isNumeric = (attr) => attr.kind === "int" || attr.kind === "float";
const hasNumber = (value) => typeof value === "number" && Number.isFinite(value);

function claims(command, attr) {
  return command.params[0] === attr.name || command.name === `set_${attr.name}` || command.name.includes(attr.name);
}

/**
 * The command that sets `attr`: among the commands of the attribute's capability with exactly one
 * parameter, the one whose parameter or name names the attribute (`set_volume(volume)`,
 * `set_fridge_temperature(temperature)`), else the only one that names no other writable attribute of
 * that capability (`set_temperature(temperature)` for `target_temperature`). Null when there is none.
 */
export function findSetter(device, attr) {
  const candidates = (device.commands || []).filter(
    (c) => c.capability === attr.capability && Array.isArray(c.params) && c.params.length === 1);
  if (candidates.length === 0) return null;
  const direct = candidates.find((c) => c.params[0] === attr.name)
    || candidates.find((c) => c.name === `set_${attr.name}`)
    || candidates.find((c) => c.name.includes(attr.name));
  if (direct) return direct;
  const siblings = (device.attributes || []).filter(
    (a) => a.capability === attr.capability && a.name !== attr.name && a.writable);
  const free = candidates.filter((c) => !siblings.some((s) => claims(c, s)));
  return free.length === 1 ? free[0] : null;
}

/**
 * The controls of a device:
 * `{power: {on, off} | {toggle} | null, sliders: [{attr, command, param}], selects: [{attr, command,
 * param}], buttons: [command]}`. A command object is one of the device's `commands`.
 */
export function deriveControls(device) {
  const commands = device.commands || [];
  const attributes = device.attributes || [];
  const byName = new Map(commands.map((c) => [c.name, c]));
  const hasOn = attributes.some((a) => a.name === "on");

  let power = null;
  if (byName.has("turn_on") && byName.has("turn_off")) {
    power = { on: byName.get("turn_on"), off: byName.get("turn_off") };
  } else if (hasOn && byName.has("toggle")) {
    power = { toggle: byName.get("toggle") };
  }

  const sliders = [];
  const selects = [];
  for (const attr of attributes) {
    if (!attr.writable || attr.name === "on") continue;
    const numeric = isNumeric(attr);
    if (numeric && !(hasNumber(attr.min) && hasNumber(attr.max) && attr.max > attr.min)) continue;
    if (!numeric && !(attr.kind === "enum" && Array.isArray(attr.values) && attr.values.length)) continue;
    const command = findSetter(device, attr);
    if (!command) continue;
    (numeric ? sliders : selects).push({ attr, command, param: command.params[0] });
  }

  // A command the signed-in person may not send (a guest's unlock) gets no button.
  const buttons = commands.filter(
    (c) => (!c.params || c.params.length === 0) && !(power && POWER_COMMANDS.has(c.name))
      && c.allowed !== false);
  return { power, sliders, selects, buttons };
}

/** Whether a command name is used by more than one capability of the device (send `capability` then). */
export function isAmbiguous(device, command) {
  return (device.commands || []).filter((c) => c.name === command.name).length > 1;
}

/** The `step` of a slider for `attr`: its own, 1 for whole numbers, else a hundredth of the range. */
export function sliderStep(attr) {
  if (hasNumber(attr.step) && attr.step > 0) return attr.step;
  if (attr.kind === "int") return 1;
  const span = attr.max - attr.min;
  return span > 0 ? Math.max(span / 100, 0.01) : "any";
}

/**
 * The live state in a few words: power first (`켜짐`), then readings and settings that have no control
 * of their own (`온도 23.5°C`, `잠김`, `배터리 80%`), at most four parts. `controlled` lists attribute
 * names whose value the card already shows in a slider or list.
 */
export function summarize(device, state, controlled = new Set()) {
  const attributes = device.attributes || [];
  const parts = [];
  const on = attributes.find((a) => a.name === "on");
  if (on && typeof state.on === "boolean") parts.push(describeValue(on, "on", state.on));
  for (const attr of attributes) {
    if (parts.length >= MAX_SUMMARY_PARTS) break;
    if (attr.name === "on" || controlled.has(attr.name)) continue;
    const value = state[attr.name];
    if (value === null || value === undefined || isQuietValue(attr.name, value)) continue;
    parts.push(describeValue(attr, attr.name, value));
  }
  if (!parts.length) {
    // Nothing but settings: say those (a curtain's `열림 정도 40%`).
    for (const attr of attributes) {
      const value = state[attr.name];
      if (parts.length >= MAX_SUMMARY_PARTS || !controlled.has(attr.name)) continue;
      if (value !== null && value !== undefined) parts.push(describeValue(attr, attr.name, value));
    }
  }
  return parts.length ? parts.join(" · ") : "상태 정보 없음";
}
