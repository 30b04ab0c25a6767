// Clearsite sandbox page: plain JavaScript, no build step, no network beyond this server.
"use strict";

// map.js (loaded first) defines `sandbox` and the map functions.
const API = "/sandbox/api";

async function call(method, path, body) {
  const options = { method, headers: {} };
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(readable(data.detail) || response.statusText);
  return data;
}

// An error as one readable line: "text: field required; audience.radius_m: …".
function readable(detail) {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return detail ? JSON.stringify(detail) : "";
  return detail.map((d) => {
    const where = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "";
    return (where ? where + ": " : "") + (d.msg || JSON.stringify(d));
  }).join("; ");
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function log(text, isError) {
  const item = document.createElement("li");
  item.textContent = new Date().toLocaleTimeString() + " " + text;
  if (isError) item.className = "error";
  const list = document.getElementById("log");
  list.prepend(item);
}

function attempt(promise) {
  return promise.catch((error) => log(error.message, true));
}

// Messages and keyboards

function button(label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

function inlineKeyboard(pane, message) {
  const box = document.createElement("div");
  box.className = "inline-keyboard";
  for (const row of message.inline_keyboard) {
    const line = document.createElement("div");
    line.className = "kb-row";
    for (const key of row) {
      if (key.url) {
        const link = document.createElement("a");
        link.href = key.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.textContent = key.text;
        line.append(link);
      } else if (key.callback_data) {
        line.append(button(key.text, () => attempt(pane.press(message.id, key.callback_data))));
      } else {
        const other = button(key.text, () => log("this button type is not simulated", true));
        line.append(other);
      }
    }
    box.append(line);
  }
  return box;
}

function renderMessage(pane, message) {
  const element = document.createElement("div");
  element.className = "msg " + (message.from_bot ? "bot" : "user");
  element.dataset.id = message.id;
  const body = document.createElement("div");
  body.className = "body";
  if (message.location) {
    body.className += " loc";
    body.textContent = "📍 " + message.location.latitude.toFixed(5) + ", " +
      message.location.longitude.toFixed(5);
  } else {
    if (message.photo) {
      const image = document.createElement("img");
      image.className = "photo";
      image.alt = "photo";
      image.src = `${API}/files/${encodeURIComponent(message.photo)}`;
      element.append(image);
    } else if (message.document) {
      const link = document.createElement("a");
      link.className = "document";
      link.href = `${API}/files/${encodeURIComponent(message.document.file_id)}`;
      link.target = "_blank";
      link.textContent = "📄 " + (message.document.file_name || "file");
      element.append(link);
    }
    // The server renders Telegram's HTML subset with everything else escaped.
    body.innerHTML = message.html;
    body.querySelectorAll(".tg-spoiler").forEach((s) =>
      s.addEventListener("click", () => s.classList.add("shown")));
  }
  element.append(body);
  if (message.edited) {
    const mark = document.createElement("span");
    mark.className = "edited";
    mark.textContent = "edited";
    element.append(mark);
  }
  if (message.date) {  // like Telegram: every message carries its time
    const time = document.createElement("span");
    time.className = "time";
    time.textContent = new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    element.append(time);
  }
  if (message.inline_keyboard) element.append(inlineKeyboard(pane, message));
  return element;
}

function applyMessage(pane, message) {
  const old = pane.messages.querySelector(`.msg[data-id="${message.id}"]`);
  if (message.deleted) {
    if (old) old.remove();
    return;
  }
  const element = renderMessage(pane, message);
  if (old) {
    old.replaceWith(element);
    return;
  }
  const later = [...pane.messages.children].find((m) => Number(m.dataset.id) > message.id);
  pane.messages.insertBefore(element, later || null);
  if (message.from_bot && pane.loaded && !pane.node.classList.contains("current")) {
    markUnread(pane.user.role);  // new since the page loaded, in a chat not shown
  }
  updateStart(pane);
}

// The newest message stays in view while the reader is at the bottom (or the page is loading),
// also when a photo above it finishes loading later.
function atBottom(pane) {
  const box = pane.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
}

function followNewest(pane) {
  if (!pane.follow) return;
  pane.messages.scrollTop = pane.messages.scrollHeight;
  pane.pinnedAt = pane.messages.scrollTop;
}

// Only the reader scrolling up stops the following: a scroll event that arrives after the
// chat grew under it (a photo's size became known) still finds it where we put it.
function onScroll(pane) {
  pane.follow = atBottom(pane) || pane.messages.scrollTop >= pane.pinnedAt - 1;
}

// A chat that has never been opened shows START instead of the text box, as Telegram does.
function updateStart(pane) {
  const empty = pane.loaded && pane.messages.children.length === 0;
  pane.startBox.hidden = !empty;
  pane.composer.hidden = empty;
}

function replyKeyboard(pane, markup) {
  pane.keyboard.replaceChildren();
  if (!markup || !markup.keyboard) return;
  for (const row of markup.keyboard) {
    const line = document.createElement("div");
    line.className = "kb-row";
    for (const key of row) {
      const label = typeof key === "string" ? key : key.text;
      line.append(button(label, () => {
        if (key.request_location) pane.openMap();
        else attempt(pane.send(label));
      }));
    }
    pane.keyboard.append(line);
  }
}

// Panes

function makePane(user) {
  const node = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
  node.id = "pane-" + user.role;
  node.querySelector(".who").textContent = user.name;
  node.querySelector(".role").textContent = user.role + " · id " + user.id;
  const pane = {
    user, node, since: 0,
    messages: node.querySelector(".messages"),
    keyboard: node.querySelector(".reply-keyboard"),
    map: node.querySelector(".map"),
    mapBox: node.querySelector(".map-box"),
    legend: node.querySelector(".legend"),
    startBox: node.querySelector(".start-box"),
    composer: node.querySelector(".composer"),
    city: sandbox.cities.length ? sandbox.cities[0].key : null,
    follow: true,
    pinnedAt: 0,
    loaded: false,
    send: (text) => call("POST", `/chats/${user.id}/text`, { text }),
    press: (id, data) => call("POST", `/chats/${user.id}/press`, { message_id: id, data }),
    share: (lat, lon) => call("POST", `/chats/${user.id}/location`, { lat, lon }),
    sendPhoto: (file, caption) => {
      const form = new FormData();
      form.append("photo", file);
      if (caption) form.append("caption", caption);
      return call("POST", `/chats/${user.id}/photo`, form);
    },
  };
  pane.showMap = (marker) => {
    const city = cityOf(pane.city);
    drawMap(pane.map, city, marker);
    drawLegend(pane.legend, city);
    for (const choice of node.querySelectorAll(".cities button")) {
      choice.setAttribute("aria-pressed", String(choice.dataset.city === city.key));
    }
  };
  pane.openMap = () => { pane.mapBox.hidden = false; pane.showMap(); };
  const cities = node.querySelector(".cities");
  for (const city of sandbox.cities) {
    const choice = button(city.name, () => { pane.city = city.key; pane.showMap(); });
    choice.dataset.city = city.key;
    cities.append(choice);
  }
  wirePane(pane);
  return pane;
}

function wirePane(pane) {
  const { node, user } = pane;
  const language = node.querySelector(".lang");
  language.value = user.language;
  language.addEventListener("change", () => attempt(
    call("POST", `/users/${user.id}/language`, { language: language.value })
      .then(() => log(`${user.name} now uses Telegram in ${language.value}`))));
  const input = node.querySelector(".text");
  node.querySelector(".composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) attempt(pane.send(text).then(() => { input.value = ""; }));
  });
  const photo = node.querySelector(".photo-input");
  photo.addEventListener("change", () => {
    const file = photo.files[0];
    if (!file) return;
    attempt(pane.sendPhoto(file, input.value.trim()).then(() => { input.value = ""; }))
      .finally(() => { photo.value = ""; });
  });
  node.querySelector(".open-map").addEventListener("click", pane.openMap);
  node.querySelector(".close-map").addEventListener("click", () => { pane.mapBox.hidden = true; });
  pane.map.addEventListener("click", (event) => {
    const [lat, lon] = pickLocation(pane.map, cityOf(pane.city), event);
    pane.showMap([lat, lon]);
    // The map folds away once the point is shared, like Telegram's location picker.
    attempt(pane.share(lat, lon).then(() => { pane.mapBox.hidden = true; }));
  });
  node.querySelector(".start").addEventListener("click", () => attempt(pane.send("/start")));
  pane.messages.addEventListener("scroll", () => onScroll(pane));
  // A photo that loads after it was placed makes the chat taller: keep the newest in view.
  pane.messages.addEventListener("load", () => followNewest(pane), true);
  // So does a chat that gets shorter (the map or a keyboard opens, the window shrinks).
  new ResizeObserver(() => followNewest(pane)).observe(pane.messages);
  node.querySelector(".send-coords").addEventListener("click", () => {
    const lat = Number(node.querySelector(".lat").value);
    const lon = Number(node.querySelector(".lon").value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) attempt(pane.share(lat, lon));
  });
}

async function watch(pane) {
  for (;;) {
    try {
      // The first read answers at once (what the chat already holds); then long polls.
      const wait = pane.loaded ? 20 : 0;
      const view = await call("GET", `/chats/${pane.user.id}?since=${pane.since}&wait=${wait}`);
      const follow = pane.follow || !pane.loaded;
      for (const message of view.messages) applyMessage(pane, message);
      replyKeyboard(pane, view.keyboard);
      pane.since = Math.max(pane.since, ...view.messages.map((m) => m.seq));
      pane.loaded = true;
      updateStart(pane);
      pane.follow = follow;
      followNewest(pane);
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// Control panel

function wireControl() {
  const value = (id) => document.getElementById(id).value;
  const on = (id, action) => document.getElementById(id).addEventListener("click", () => attempt(action()));
  on("link-worker", async () => {
    log("link code created; opening the deep link in the worker's chat …");
    const result = await call("POST", "/control/link-worker");
    log(result.linked_by ? `worker linked (by the ${result.linked_by})` : "worker NOT linked", !result.linked_by);
  });
  on("wage-send", async () => {
    const result = await call("POST", "/control/wage", { kind: value("wage-kind") });
    const scan = "scan_alerts" in result ? `; overdue scan: ${plural(result.scan_alerts, "alert", "alerts")}` : "";
    log(`wage ${result.kind}, period ${result.period_start} – ${result.period_end} due ${result.due_date}: ` +
      `${plural(result.events, "event", "events")}, ${plural(result.alerts, "alert", "alerts")}${scan}`);
  });
  on("overdue-scan", async () => {
    const result = await call("POST", "/control/overdue-scan");
    log(`overdue scan: ${plural(result.alerts, "alert", "alerts")}`);
  });
  const showClock = (result) => {
    document.getElementById("clock-now").textContent = result.now;
  };
  const jump = (to, label) => async () => {
    const user = sandbox.panes[value("clock-user")].user;
    const result = await call("POST", "/control/clock", { to, user_id: user.id });
    showClock(result);
    log(result.jumped ? `clock: jumped to ${label} (${result.now})` : `clock: no ${label} to jump to`, !result.jumped);
  };
  on("clock-quiet-start", jump("quiet_start", "the start of quiet hours"));
  on("clock-quiet-end", jump("quiet_end", "the end of quiet hours"));
  on("clock-digest", jump("digest", "the next digest"));
  attempt(call("GET", "/control/clock").then(showClock));
  on("bc-send", async () => {
    const kind = value("bc-kind");
    const audience = { kind };
    if (kind === "project" || kind === "workers") audience.project_id = value("bc-project");
    if (kind === "area") Object.assign(audience, {
      lat: Number(value("bc-lat")), lon: Number(value("bc-lon")), radius_m: Number(value("bc-radius")),
    });
    const body = { text: value("bc-text"), audience };
    if (document.getElementById("bc-urgent").checked) body.urgency = "urgent";
    if (value("bc-expires")) body.expires_in_h = Number(value("bc-expires"));
    const result = await call("POST", "/control/broadcast", body);
    log(`broadcast ${result.id}: ${plural(result.recipients, "recipient", "recipients")}`);
  });
}

async function loadServices() {
  // The public Open311 list of categories, as any Open311 client reads it.
  const response = await fetch("/open311/v2/services.json");
  const services = await response.json();
  const select = document.getElementById("o311-service");
  for (const service of services) {
    const option = document.createElement("option");
    option.value = service.service_code;
    option.textContent = service.service_name;
    select.append(option);
  }
}

function wireOpen311() {
  document.getElementById("o311-send").addEventListener("click", () => attempt((async () => {
    const form = new FormData();
    const value = (id) => document.getElementById(id).value;
    form.append("service_code", value("o311-service"));
    form.append("description", value("o311-text") || "Dust from the site all day");
    form.append("lat", value("o311-lat"));
    form.append("long", value("o311-long"));
    const photo = document.getElementById("o311-photo").files[0];
    if (photo) form.append("media", photo);
    const result = await call("POST", "/control/open311", form);
    log(`Open311 app filed ${result.answer[0].service_request_id}`);
  })()));
}

// Phone width: tabs show one chat, or the panel, at a time (CSS hides the tabs when wider).
function tabTarget(name) {
  return name === "control" ? document.getElementById("control") : sandbox.panes[name].node;
}

function showTab(name) {
  for (const tab of document.querySelectorAll("#tabs button")) {
    const chosen = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(chosen));
    tabTarget(tab.dataset.tab).classList.toggle("current", chosen);
    if (chosen) tab.classList.remove("unread");
  }
  const pane = sandbox.panes[name];
  if (pane) followNewest(pane);
}

function markUnread(name) {
  const tab = document.querySelector(`#tabs button[data-tab="${name}"]`);
  if (tab) tab.classList.add("unread");
}

function wireTabs() {
  for (const tab of document.querySelectorAll("#tabs button")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  showTab("citizen");
}

async function start() {
  wireControl();
  wireOpen311();
  await attempt(loadServices());
  const [{ users }, map] = await Promise.all([call("GET", "/users"), call("GET", "/points")]);
  sandbox.cities = map.cities;
  const panes = document.getElementById("panes");
  for (const user of users) {
    const pane = makePane(user);
    sandbox.panes[user.role] = pane;
    panes.append(pane.node);
    watch(pane);
  }
  wireTabs();
  document.body.dataset.ready = "true";
}

attempt(start());
