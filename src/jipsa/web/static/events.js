// The live event stream: one WebSocket to /api/homes/{home}/events (authenticated by the session
// cookie), reconnecting with capped exponential backoff. The first message of each connection is a
// snapshot; an `overflow` message means events were dropped, so it reconnects for a fresh snapshot.

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
const SESSION_ENDED = 4401;

/** The WebSocket URL of a home's live events on this server. */
export function eventsUrl(home) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/api/homes/${encodeURIComponent(home)}/events`;
}

export class LiveEvents {
  /**
   * `onMessage(message)` gets every parsed message (snapshot included); `onStatus(state)` gets
   * `connecting`, `connected` or `disconnected`; `onSessionEnded()` is called when the server closes
   * with 4401; `onConnectFailed(attempt)` when a connection could not be opened at all (the app may
   * check whether the session is still valid).
   */
  constructor({ onMessage, onStatus, onSessionEnded, onConnectFailed } = {}) {
    this.onMessage = onMessage || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onSessionEnded = onSessionEnded || (() => {});
    this.onConnectFailed = onConnectFailed || (() => {});
    this.home = null;
    this.socket = null;
    this.timer = null;
    this.attempt = 0;
    this.generation = 0;
    this.status = "disconnected";
    const wake = () => {
      if (this.home && this.status === "disconnected" && document.visibilityState !== "hidden") this.reconnect();
    };
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", wake);
  }

  /** Follow the live events of `home` (closing any previous connection). */
  connect(home) {
    this.close();
    this.home = home;
    this.attempt = 0;
    this.open();
  }

  /** Stop following; nothing reconnects until `connect` is called again. */
  close() {
    this.home = null;
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.socket) {
      try {
        this.socket.close(1000, "bye");
      } catch {
        /* already closed */
      }
    }
    this.socket = null;
    this.setStatus("disconnected");
  }

  /** Drop the current connection and open a new one now (e.g. after an overflow). */
  reconnect() {
    const home = this.home;
    if (!home) return;
    this.close();
    this.home = home;
    this.open();
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  open() {
    const generation = (this.generation += 1);
    clearTimeout(this.timer);
    this.timer = null;
    this.setStatus("connecting");
    let opened = false;
    let socket;
    try {
      socket = new WebSocket(eventsUrl(this.home));
    } catch {
      this.scheduleRetry(generation, false);
      return;
    }
    this.socket = socket;
    const current = () => generation === this.generation;

    socket.addEventListener("open", () => {
      if (!current()) return;
      opened = true;
      this.setStatus("connected");
    });
    socket.addEventListener("message", (event) => {
      if (!current()) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message !== "object") return;
      if (message.type === "snapshot") this.attempt = 0;
      this.onMessage(message);
      if (message.type === "overflow" && current()) this.reconnect();
    });
    socket.addEventListener("close", (event) => {
      if (!current()) return;
      this.socket = null;
      if (event.code === SESSION_ENDED) {
        this.home = null;
        this.setStatus("disconnected");
        this.onSessionEnded();
        return;
      }
      this.scheduleRetry(generation, opened);
    });
    // An error is always followed by a close event, which does the work.
  }

  scheduleRetry(generation, opened) {
    if (generation !== this.generation || !this.home) return;
    this.setStatus("disconnected");
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    if (!opened) this.onConnectFailed(this.attempt);
    const jitter = delay * (0.8 + Math.random() * 0.4);
    this.timer = setTimeout(() => {
      if (generation === this.generation && this.home) this.open();
    }, jitter);
  }
}
