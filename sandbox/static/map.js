// Clearsite sandbox page: the offline map of the demo project points, drawn on a canvas.
"use strict";

const sandbox = { panes: {}, points: [], center: [50.4501, 30.5234] };
window.sandbox = sandbox;

// The map: demo project points on a canvas, no tiles

function mapFrame(canvas) {
  const points = sandbox.points.length ? sandbox.points : [{ lat: sandbox.center[0], lon: sandbox.center[1] }];
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

// The OC4IDS projectStatus codes the data uses, each with its colour and legend label.
const STATUS_COLOURS = {
  identification: ["#8a94a6", "identification"],
  preparation: ["#517da2", "preparation"],
  implementation: ["#e08a1e", "implementation"],
  completion: ["#4a8f3c", "completion"],
  maintenance: ["#2f6f5e", "maintenance"],
  decommissioning: ["#9c5d9c", "decommissioning"],
  decommissioned: ["#6b4b6b", "decommissioned"],
  cancelled: ["#b3261e", "cancelled"],
};

function drawLegend(g, canvas) {
  const used = new Set(sandbox.points.map((p) => p.status));
  let y = 12;
  for (const [status, [colour, label]] of Object.entries(STATUS_COLOURS)) {
    if (!used.has(status)) continue;
    g.fillStyle = colour;
    g.beginPath(); g.arc(canvas.width - 96, y - 3, 3.5, 0, 2 * Math.PI); g.fill();
    g.fillStyle = "#41505e";
    g.fillText(label, canvas.width - 88, y);
    y += 12;
  }
}

function drawMap(canvas, marker) {
  const g = canvas.getContext("2d");
  const frame = mapFrame(canvas);
  g.fillStyle = "#eef3e6";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#d6dfcc";
  for (let i = 1; i < 8; i++) {
    g.beginPath(); g.moveTo(i * canvas.width / 8, 0); g.lineTo(i * canvas.width / 8, canvas.height); g.stroke();
    g.beginPath(); g.moveTo(0, i * canvas.height / 8); g.lineTo(canvas.width, i * canvas.height / 8); g.stroke();
  }
  for (const p of sandbox.points) {
    const [x, y] = toPixel(frame, p.lat, p.lon);
    g.fillStyle = (STATUS_COLOURS[p.status] || ["#8a6bb1"])[0];
    g.beginPath(); g.arc(x, y, 3.5, 0, 2 * Math.PI); g.fill();
  }
  if (marker) {
    const [x, y] = toPixel(frame, marker[0], marker[1]);
    g.strokeStyle = "#b3261e"; g.lineWidth = 2;
    g.beginPath(); g.arc(x, y, 7, 0, 2 * Math.PI); g.stroke(); g.lineWidth = 1;
  }
  drawLegend(g, canvas);
  g.fillStyle = "#41505e";
  g.fillText("Kyiv demo projects: click to share that point", 6, canvas.height - 6);
}

// A click shares the clicked point itself (as Telegram's map does), not the nearest dot.
function pickLocation(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  const x = (event.clientX - rect.left) * canvas.width / rect.width;
  const y = (event.clientY - rect.top) * canvas.height / rect.height;
  return toLatLon(mapFrame(canvas), x, y);
}

// Where point `index` is drawn, in page coordinates (used by the browser tests).
sandbox.pointOnPage = function (role, index) {
  const canvas = sandbox.panes[role].map;
  const rect = canvas.getBoundingClientRect();
  const p = sandbox.points[index];
  const [x, y] = toPixel(mapFrame(canvas), p.lat, p.lon);
  return { x: rect.left + x * rect.width / canvas.width, y: rect.top + y * rect.height / canvas.height };
};
