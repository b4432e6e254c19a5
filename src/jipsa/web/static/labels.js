// Words for people: Korean names of device types, attributes, values and commands, and formatting of
// values and times. Unknown names fall back to the wire name, so a new capability still shows.

const TYPE_ICONS = {
  light: "💡", switch: "🔘", plug: "🔌", air_conditioner: "❄️", heater: "🔥", boiler: "♨️",
  thermostat: "🌡️", air_purifier: "🌬️", humidifier: "💧", dehumidifier: "🫧", fan: "🌀",
  refrigerator: "🧊", washer: "🧺", dryer: "👕", dishwasher: "🍽️", robot_vacuum: "🧹", tv: "📺",
  speaker: "🔊", cover: "🪟", door_lock: "🔒", gas_valve: "🛢️", sensor: "📟", binary_sensor: "👁️",
  coffee_machine: "☕", vehicle: "🚗",
};

const CLASS_ICONS = {
  motion: "🚶", occupancy: "🧍", door: "🚪", window: "🪟", leak: "💦", smoke: "💨", vibration: "📳",
  temperature: "🌡️", humidity: "💧", pm25: "😷", pm10: "😷", battery: "🔋", garage: "🚘", gate: "🚧",
  blind: "🪟", curtain: "🪟", shade: "🪟",
};

const TYPE_NAMES = {
  light: "조명", switch: "스위치", plug: "플러그", air_conditioner: "에어컨", heater: "히터", boiler: "보일러",
  thermostat: "온도조절기", air_purifier: "공기청정기", humidifier: "가습기", dehumidifier: "제습기",
  fan: "선풍기", refrigerator: "냉장고", washer: "세탁기", dryer: "건조기", dishwasher: "식기세척기",
  robot_vacuum: "로봇청소기", tv: "TV", speaker: "스피커", cover: "커튼·블라인드", door_lock: "도어락",
  gas_valve: "가스 밸브", sensor: "센서", binary_sensor: "감지 센서", coffee_machine: "커피 머신", vehicle: "자동차",
};

const ATTRIBUTE_NAMES = {
  on: "전원", brightness: "밝기", color_temp: "색온도", color: "색", target_temperature: "설정 온도",
  hvac_mode: "운전 모드", fan_speed: "바람 세기", mode: "모드", target_humidity: "목표 습도",
  position: "열림 정도", locked: "잠금", valve_open: "밸브", operation_state: "상태",
  remaining_minutes: "남은 시간", program: "코스", vacuum_state: "상태", volume: "음량", muted: "음소거",
  channel: "채널", input: "입력", playing: "재생", fridge_temperature: "냉장실", freezer_temperature: "냉동실",
  door_open: "문", temperature: "온도", humidity: "습도", pm25: "초미세먼지", pm10: "미세먼지",
  power: "전력", battery: "배터리", active: "감지", engine_on: "시동", climate_on: "공조",
  cabin_temperature: "실내 온도", climate_target: "공조 온도", fuel_percent: "연료", range_km: "주행 가능 거리",
};

const VALUE_NAMES = {
  cool: "냉방", heat: "난방", dry: "제습", fan_only: "송풍", auto: "자동", low: "약", medium: "중",
  high: "강", turbo: "터보", sleep: "취침", eco: "절약", heating: "난방", away: "외출", hot_water: "온수",
  quiet: "저소음", normal: "일반", idle: "대기", running: "작동 중", paused: "일시정지", finished: "완료",
  standard: "표준", quick: "쾌속", heavy: "강력", delicate: "섬세", rinse: "헹굼", espresso: "에스프레소",
  americano: "아메리카노", docked: "충전대", cleaning: "청소 중", returning: "복귀 중", tv: "TV",
  hdmi1: "HDMI 1", hdmi2: "HDMI 2", hdmi3: "HDMI 3", usb: "USB", bluetooth: "블루투스", white: "흰색",
  warm_white: "따뜻한 흰색", red: "빨강", orange: "주황", yellow: "노랑", green: "초록", blue: "파랑",
  purple: "보라", pink: "분홍",
};

/** Words for true/false of boolean attributes: [true, false]. */
const BOOL_WORDS = {
  on: ["켜짐", "꺼짐"], locked: ["잠김", "열림"], valve_open: ["밸브 열림", "밸브 잠김"],
  muted: ["음소거", null], playing: ["재생 중", null], door_open: ["문 열림", "문 닫힘"],
  active: ["감지됨", "감지 없음"], engine_on: ["시동 켜짐", "시동 꺼짐"], climate_on: ["공조 켜짐", "공조 꺼짐"],
};

const COMMAND_NAMES = {
  turn_on: "켜기", turn_off: "끄기", toggle: "전환", start: "시작", pause: "일시정지", stop: "정지",
  return_to_base: "충전대로", lock: "잠그기", unlock: "잠금 해제", open: "열기", close: "닫기",
  open_valve: "밸브 열기", close_valve: "밸브 잠그기", mute: "음소거", unmute: "음소거 해제", play: "재생",
  start_engine: "시동 걸기", stop_engine: "시동 끄기", start_climate: "공조 켜기", stop_climate: "공조 끄기",
  set_brightness: "밝기 설정", set_color_temperature: "색온도 설정", set_color: "색 설정",
  set_temperature: "온도 설정", set_hvac_mode: "운전 모드 설정", set_fan_speed: "바람 세기 설정",
  set_mode: "모드 설정", set_humidity: "습도 설정", set_position: "열림 정도 설정", set_program: "코스 설정",
  set_volume: "음량 설정", set_channel: "채널 설정", set_input: "입력 설정",
  set_fridge_temperature: "냉장실 온도 설정", set_freezer_temperature: "냉동실 온도 설정",
};

const UNITS = { min: "분", "%": "%", "°C": "°C" };

const words = (name) => String(name).replaceAll("_", " ");

export function deviceIcon(device) {
  return (device.device_class && CLASS_ICONS[device.device_class]) || TYPE_ICONS[device.type] || "🏠";
}
export const typeName = (type) => TYPE_NAMES[type] || words(type);
export const attributeName = (name) => ATTRIBUTE_NAMES[name] || words(name);
export const valueName = (value) => VALUE_NAMES[value] || words(value);
export const commandName = (name) => COMMAND_NAMES[name] || words(name);

/** A number for people: at most two decimals, no trailing zeros. */
export function formatNumber(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

/** An attribute's value with its unit (`attr` may be null for an unknown attribute). */
export function formatValue(attr, value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "boolean") {
    const pair = BOOL_WORDS[attr && attr.name];
    if (pair) return (value ? pair[0] : pair[1]) || (value ? "예" : "아니요");
    return value ? "예" : "아니요";
  }
  if (typeof value === "number") {
    const unit = attr && attr.unit ? attr.unit : "";
    const shown = UNITS[unit] ?? (unit ? ` ${unit}` : "");
    return `${formatNumber(value)}${shown}`;
  }
  return valueName(value);
}

/** `name value` for a summary: `밝기 80%`; booleans with their own words say it alone (`잠김`). */
export function describeValue(attr, name, value) {
  if (typeof value === "boolean" && BOOL_WORDS[name]) return formatValue(attr || { name }, value);
  return `${attributeName(name)} ${formatValue(attr || { name }, value)}`;
}

/** Whether a boolean attribute's value has nothing to say (`muted: false`). */
export function isQuietValue(name, value) {
  return typeof value === "boolean" && BOOL_WORDS[name] !== undefined && BOOL_WORDS[name][value ? 0 : 1] === null;
}

/** Command arguments for people: `{temperature: 24}` → `24`, several → `a=1, b=2`. */
export function formatArgs(args) {
  const entries = Object.entries(args || {});
  if (entries.length === 0) return "";
  if (entries.length === 1) return formatValue(null, entries[0][1]);
  return entries.map(([k, v]) => `${k}=${formatValue(null, v)}`).join(", ");
}

function formatter(timeZone, options) {
  try {
    return new Intl.DateTimeFormat("ko-KR", { ...options, timeZone: timeZone || undefined });
  } catch {
    return new Intl.DateTimeFormat("ko-KR", options);
  }
}

/** A time for people in the home's time zone: `11월 25일 (수) 오전 9:00`. */
export function formatTime(iso, timeZone, { weekday = true, seconds = false } = {}) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = { month: "long", day: "numeric", hour: "numeric", minute: "2-digit" };
  if (weekday) options.weekday = "short";
  if (seconds) options.second = "2-digit";
  return formatter(timeZone, options).format(date);
}

/** The day of `iso` in the home's time zone, for grouping (`2026. 11. 25.`). */
export function dayKey(iso, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return formatter(timeZone, { year: "numeric", month: "long", day: "numeric", weekday: "short" }).format(date);
}

/** The clock time of `iso` in the home's time zone (`오후 3:05:12`). */
export function clockTime(iso, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso || "");
  return formatter(timeZone, { hour: "numeric", minute: "2-digit", second: "2-digit" }).format(date);
}
