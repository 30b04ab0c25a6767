// Clearsite sandbox page: plain JavaScript, no build step, no network beyond this server.
"use strict";

// map.js (loaded first) defines `sandbox` and the map functions.
const API = "/sandbox/api";

async function call(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    throw new Error(detail || response.statusText);
  }
  return data;
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
  pane.messages.scrollTop = pane.messages.scrollHeight;
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
    send: (text) => call("POST", `/chats/${user.id}/text`, { text }),
    press: (id, data) => call("POST", `/chats/${user.id}/press`, { message_id: id, data }),
    share: (lat, lon) => call("POST", `/chats/${user.id}/location`, { lat, lon }),
  };
  pane.openMap = () => { pane.mapBox.hidden = false; drawMap(pane.map); };
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
  node.querySelector(".open-map").addEventListener("click", pane.openMap);
  node.querySelector(".close-map").addEventListener("click", () => { pane.mapBox.hidden = true; });
  pane.map.addEventListener("click", (event) => {
    const [lat, lon] = pickLocation(pane.map, event);
    drawMap(pane.map, [lat, lon]);
    attempt(pane.share(lat, lon));
  });
  node.querySelector(".send-coords").addEventListener("click", () => {
    const lat = Number(node.querySelector(".lat").value);
    const lon = Number(node.querySelector(".lon").value);
    if (Number.isFinite(lat) && Number.isFinite(lon)) attempt(pane.share(lat, lon));
  });
}

async function watch(pane) {
  for (;;) {
    try {
      const view = await call("GET", `/chats/${pane.user.id}?since=${pane.since}&wait=20`);
      for (const message of view.messages) applyMessage(pane, message);
      replyKeyboard(pane, view.keyboard);
      pane.since = Math.max(pane.since, ...view.messages.map((m) => m.seq));
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
    log(`wage ${result.kind}: ${result.events} events, ${result.alerts} alerts`);
  });
  on("overdue-scan", async () => {
    const result = await call("POST", "/control/overdue-scan");
    log(`overdue scan: ${result.alerts} alerts`);
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
    log(`broadcast ${result.id}: ${result.recipients} recipients`);
  });
}

async function start() {
  wireControl();
  const [{ users }, map] = await Promise.all([call("GET", "/users"), call("GET", "/points")]);
  sandbox.points = map.points;
  sandbox.center = map.center;
  const panes = document.getElementById("panes");
  for (const user of users) {
    const pane = makePane(user);
    sandbox.panes[user.role] = pane;
    panes.append(pane.node);
    watch(pane);
  }
  document.body.dataset.ready = "true";
}

attempt(start());
