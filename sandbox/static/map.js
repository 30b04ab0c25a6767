// Clearsite sandbox page: the offline map of the demo project points, drawn on a canvas.
"use strict";

// cities: [{key, name, center, points: [{id, title, lat, lon, status}]}] from /points.
const sandbox = { panes: {}, cities: [] };
window.sandbox = sandbox;

function cityOf(key) {
  return sandbox.cities.find((c) => c.key === key) || sandbox.cities[0];
}

// The map: one city's demo project points on a canvas, no tiles

function mapFrame(canvas, city) {
  const points = city.points.length ? city.points : [{ lat: city.center[0], lon: city.center[1] }];
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const pad = 0.01;
  const south = Math.min(...lats) - pad, north = Math.max(...lats) + pad;
  const west = Math.min(...lons) - pad, east = Math.max(...lons) + pad;
  const scale = Math.min(canvas.width / (east - west), canvas.height / (north - south));
  return { south, north, west, east, scale };
}

function toPixel(frame, lat, lon) {
  return [(lon - frame.west) * frame.scale, (frame.north - lat) * frame.scale];
}

function toLatLon(frame, x, y) {
  return [frame.north - y / frame.scale, frame.west + x / frame.scale];
}

// The OC4IDS projectStatus codes, each with its colour and legend label.
const STATUS_COLOURS = {
  identification: ["#8a94a6", "identification"],
  preparation: ["#517da2", "preparation"],
  implementation: ["#e08a1e", "implementation (under way)"],
  completion: ["#4a8f3c", "completion"],
  maintenance: ["#2f6f5e", "maintenance"],
  decommissioning: ["#9c5d9c", "decommissioning"],
  decommissioned: ["#6b4b6b", "decommissioned"],
  cancelled: ["#b3261e", "cancelled"],
};
const OTHER_STATUS = ["#1c2733", "other"];

function statusStyle(status) {
  return STATUS_COLOURS[status] || OTHER_STATUS;
}

// The legend (HTML, beside the canvas): the statuses the city's points use, with counts.
function drawLegend(list, city) {
  const counts = new Map();
  for (const p of city.points) counts.set(p.status, (counts.get(p.status) || 0) + 1);
  const known = Object.keys(STATUS_COLOURS).filter((s) => counts.has(s));
  const others = [...counts.keys()].filter((s) => !(s in STATUS_COLOURS));
  list.replaceChildren(...[...known, ...others].map((status) => {
    const [colour, label] = statusStyle(status);
    const item = document.createElement("li");
    item.dataset.status = status || "";
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.style.background = colour;
    item.append(dot, `${status in STATUS_COLOURS ? label : status || "no status"} ${counts.get(status)}`);
    return item;
  }));
}

function drawMap(canvas, city, marker) {
  const g = canvas.getContext("2d");
  const frame = mapFrame(canvas, city);
  g.fillStyle = "#eef3e6";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#d6dfcc";
  for (let i = 1; i < 8; i++) {
    g.beginPath(); g.moveTo(i * canvas.width / 8, 0); g.lineTo(i * canvas.width / 8, canvas.height); g.stroke();
    g.beginPath(); g.moveTo(0, i * canvas.height / 8); g.lineTo(canvas.width, i * canvas.height / 8); g.stroke();
  }
  for (const p of city.points) {
    const [x, y] = toPixel(frame, p.lat, p.lon);
    g.fillStyle = statusStyle(p.status)[0];
    g.beginPath(); g.arc(x, y, 3.5, 0, 2 * Math.PI); g.fill();
  }
  if (marker) {
    const [x, y] = toPixel(frame, marker[0], marker[1]);
    g.strokeStyle = "#b3261e"; g.lineWidth = 2;
    g.beginPath(); g.arc(x, y, 7, 0, 2 * Math.PI); g.stroke(); g.lineWidth = 1;
  }
  g.fillStyle = "#41505e";
  g.fillText(`${city.name} demo projects: click to share that point`, 6, canvas.height - 6);
}

// A click shares the clicked point itself (as Telegram's map does), not the nearest dot.
function pickLocation(canvas, city, event) {
  const rect = canvas.getBoundingClientRect();
  const x = (event.clientX - rect.left) * canvas.width / rect.width;
  const y = (event.clientY - rect.top) * canvas.height / rect.height;
  return toLatLon(mapFrame(canvas, city), x, y);
}

// Where point `index` of the pane's city is drawn, in page coordinates (for the browser tests).
sandbox.pointOnPage = function (role, index) {
  const pane = sandbox.panes[role];
  const canvas = pane.map;
  const city = cityOf(pane.city);
  const rect = canvas.getBoundingClientRect();
  const p = city.points[index];
  const [x, y] = toPixel(mapFrame(canvas, city), p.lat, p.lon);
  return {
    x: rect.left + x * rect.width / canvas.width,
    y: rect.top + y * rect.height / canvas.height,
    lat: p.lat, lon: p.lon, status: p.status,
    // Degrees of latitude and longitude per page pixel at this size.
    perPixel: canvas.width / rect.width / mapFrame(canvas, city).scale,
  };
};
