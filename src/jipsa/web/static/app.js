// The dashboard's entry: sign-in, the home picker, tabs, and wiring the device board to the live
// event stream, the chat, routines and schedules, and the history.

import { ApiError, get, getAll, homePath, onUnauthorized, post, setCsrfToken } from "./api.js";
import { DeviceBoard } from "./cards.js";
import { Chat } from "./chat.js";
import { LiveEvents } from "./events.js";
import { HistoryPanel } from "./history.js";
import { RoutinesPanel } from "./routines.js";
import { errorText, show, toast } from "./ui.js";

const $ = (id) => document.getElementById(id);
const HOME_KEY = "jipsa.home";
const TABS = ["devices", "chat", "routines", "history"];
const LIVE_TEXT = { connected: "실시간 연결됨", connecting: "연결 중…", disconnected: "연결 끊김" };

const app = {
  signedIn: false,
  homes: [],
  home: null, // the HomeSummary shown
  tab: "devices",
  reloading: null, // events that arrive while the device list reloads: applied after it
  reloadTimer: null,
  loadGeneration: 0,
};

// -- the parts -----------------------------------------------------------------------------------

const board = new DeviceBoard($("device-board"), {
  send: (device, command, args, capability) => post(
    homePath(app.home.id, "devices", device.id, "commands"),
    capability ? { command, args, capability } : { command, args }),
});

const live = new LiveEvents({
  onMessage: handleEvent,
  onStatus: (status) => {
    const badge = $("live-status");
    badge.dataset.state = status;
    badge.textContent = LIVE_TEXT[status] || status;
  },
  onSessionEnded: () => checkSession(),
  onConnectFailed: (attempt) => {
    if (attempt % 3 === 1) checkSession();
  },
});

const chat = new Chat({
  form: $("chat-form"), input: $("chat-input"), log: $("chat-log"), button: $("chat-send"),
  getHome: () => (app.home ? app.home.id : null),
  deviceName: (id) => board.name(id),
});

const routines = new RoutinesPanel({
  routineList: $("routine-list"), routineStatus: $("routines-status"),
  scheduleList: $("schedule-list"), scheduleStatus: $("schedules-status"),
  form: $("schedule-form"), input: $("schedule-input"), formError: $("schedule-error"),
}, { deviceName: (id) => board.name(id) });

const historyPanel = new HistoryPanel({
  list: $("history-list"), status: $("history-status"), more: $("history-more"), refresh: $("history-refresh"),
}, board);

// -- signing in and out --------------------------------------------------------------------------

function showView(name) {
  show($("boot-view"), name === "boot");
  show($("login-view"), name === "login");
  show($("app-view"), name === "app");
}

function showLogin(message = "") {
  const wasIn = app.signedIn;
  app.signedIn = false;
  app.loadGeneration += 1;
  live.close();
  setCsrfToken(null);
  if (wasIn) {
    board.clear();
    chat.reset();
    routines.setHome(null);
    historyPanel.setHome(null);
    app.home = null;
  }
  const error = $("login-error");
  error.textContent = message;
  error.hidden = !message;
  $("login-password").value = "";
  showView("login");
  const user = $("login-username");
  (user.value ? $("login-password") : user).focus();
}

onUnauthorized(() => {
  if (app.signedIn) showLogin("로그인이 끝났어요. 다시 로그인해 주세요.");
});

/** Ask the server whether the session is still valid; a 401 shows the login view. */
async function checkSession() {
  if (!app.signedIn) return;
  try {
    const session = await get("/api/auth/session");
    setCsrfToken(session && session.csrf_token);
    if (app.home && live.status === "disconnected" && !live.home) live.connect(app.home.id);
  } catch {
    /* 401 is handled by onUnauthorized; anything else: the live stream keeps retrying */
  }
}

async function enter(session) {
  setCsrfToken(session.csrf_token);
  app.signedIn = true;
  const user = session.user || {};
  $("user-name").textContent = user.display_name || user.name || "";
  showView("app");
  let homes = session.homes || [];
  try {
    const answer = await get("/api/homes");
    homes = (answer && answer.items) || homes;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    toast(errorText(error), "error");
  }
  app.homes = homes;
  const picker = $("home-select");
  picker.replaceChildren(...homes.map((h) => new Option(h.name, h.id)));
  show($("home-picker"), homes.length > 1);
  if (!homes.length) {
    $("home-name").textContent = "";
    $("devices-status").textContent = "아직 속한 집이 없어요.";
    return;
  }
  let saved = null;
  try {
    saved = localStorage.getItem(HOME_KEY);
  } catch {
    /* storage may be off */
  }
  const home = homes.find((h) => h.id === saved) || homes[0];
  await selectHome(home.id);
}

async function login(event) {
  event.preventDefault();
  const username = $("login-username").value.trim();
  const password = $("login-password").value;
  const error = $("login-error");
  if (!username || !password) {
    error.textContent = "아이디와 비밀번호를 입력해 주세요.";
    error.hidden = false;
    return;
  }
  const button = $("login-submit");
  button.disabled = true;
  error.hidden = true;
  try {
    const session = await post("/api/auth/login", { username, password }, { auth: false });
    $("login-password").value = "";
    await enter(session);
  } catch (failure) {
    error.textContent = errorText(failure);
    error.hidden = false;
    $("login-password").select();
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  try {
    await post("/api/auth/logout", undefined, { auth: false });
  } catch {
    /* signed out either way */
  }
  showLogin();
}

// -- homes and devices ---------------------------------------------------------------------------

async function selectHome(id) {
  const home = app.homes.find((h) => h.id === id);
  if (!home) return;
  app.home = home;
  try {
    localStorage.setItem(HOME_KEY, home.id);
  } catch {
    /* storage may be off */
  }
  $("home-select").value = home.id;
  $("home-name").textContent = app.homes.length > 1 ? "" : home.name;
  document.title = `${home.name} · 집사`;
  live.close();
  routines.setHome(home);
  historyPanel.setHome(home);
  const loaded = await loadDevices();
  if (!loaded || app.home !== home) return;
  live.connect(home.id);
  activateTab(app.tab, false);
}

/** Fetch the areas and every device of the current home and build the board; false on failure. */
async function loadDevices() {
  const home = app.home;
  const generation = (app.loadGeneration += 1);
  const status = $("devices-status");
  if (!board.cards.size) status.textContent = "기기를 불러오는 중…";
  try {
    const [areas, devices] = await Promise.all([
      getAll(homePath(home.id, "areas")),
      getAll(homePath(home.id, "devices")),
    ]);
    if (generation !== app.loadGeneration || app.home !== home) return false;
    board.render(areas, devices);
    status.textContent = devices.length ? "" : "아직 기기가 없어요.";
    return true;
  } catch (error) {
    if (generation === app.loadGeneration) status.textContent = errorText(error);
    return false;
  }
}

/** Reload the device list while the live stream keeps running; events meanwhile are applied after. */
async function reloadDevices() {
  if (app.reloading) return;
  app.reloading = [];
  try {
    await loadDevices();
  } finally {
    const queued = app.reloading;
    app.reloading = null;
    for (const message of queued) handleEvent(message);
  }
}

function reloadSoon() {
  clearTimeout(app.reloadTimer);
  app.reloadTimer = setTimeout(reloadDevices, 250);
}

function handleEvent(message) {
  if (app.reloading) {
    app.reloading.push(message);
    return;
  }
  switch (message.type) {
    case "snapshot":
      if (!board.applySnapshot(message.devices || {}) && !message.replayed) {
        // The snapshot names other devices than the list: reload the list, then apply the snapshot
        // again, first of the events queued meanwhile (once: a lasting difference is left alone).
        message.replayed = true;
        reloadDevices();
        app.reloading.push(message);
      }
      break;
    case "state_changed":
      board.applyChanges(message.device_id, (message.data && message.data.changes) || {});
      break;
    case "availability_changed":
      board.setAvailable(message.device_id, message.data ? message.data.available !== false : true);
      break;
    case "device_added":
    case "device_removed":
      reloadSoon();
      break;
    default:
      break; // command_done, command_failed, overflow (events.js reconnects)
  }
}

// -- tabs ----------------------------------------------------------------------------------------

function activateTab(name, focus = false) {
  if (!TABS.includes(name)) name = "devices";
  app.tab = name;
  for (const tab of TABS) {
    const button = $(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  if (location.hash !== `#${name}`) replaceHash(`#${name}`);
  if (!app.home) return;
  if (name === "routines") routines.load();
  if (name === "history") historyPanel.show();
}

function replaceHash(hash) {
  try {
    window.history.replaceState(null, "", hash);
  } catch {
    /* file: or sandboxed */
  }
}

function setUpTabs() {
  const bar = document.querySelector(".tabs");
  bar.addEventListener("click", (event) => {
    const button = event.target.closest("[data-tab]");
    if (button) activateTab(button.dataset.tab);
  });
  bar.addEventListener("keydown", (event) => {
    const index = TABS.indexOf(app.tab);
    let next = null;
    if (event.key === "ArrowRight") next = TABS[(index + 1) % TABS.length];
    else if (event.key === "ArrowLeft") next = TABS[(index + TABS.length - 1) % TABS.length];
    else if (event.key === "Home") next = TABS[0];
    else if (event.key === "End") next = TABS[TABS.length - 1];
    if (next) {
      event.preventDefault();
      activateTab(next, true);
    }
  });
  window.addEventListener("hashchange", () => activateTab(location.hash.slice(1)));
  const initial = location.hash.slice(1);
  activateTab(TABS.includes(initial) ? initial : "devices");
}

// -- start ---------------------------------------------------------------------------------------

async function boot() {
  try {
    const session = await get("/api/auth/session", { auth: false });
    await enter(session);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showLogin();
      return;
    }
    $("boot-view").textContent = `${errorText(error)} 잠시 뒤에 다시 시도할게요.`;
    setTimeout(boot, 5000);
  }
}

$("login-form").addEventListener("submit", login);
$("logout-button").addEventListener("click", logout);
$("home-select").addEventListener("change", (event) => selectHome(event.target.value));
setUpTabs();
boot();
