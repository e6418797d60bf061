// The operator dashboard: polls /api/network every second and redraws. No build step, no dependencies.
"use strict";

const byId = (id) => document.getElementById(id);

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
}

function age(iso, now) {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  return seconds < 60 ? seconds.toFixed(1) + " s ago" : Math.round(seconds / 60) + " min ago";
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function place(box) {
  if (!box.geoKnown && !box.country) return "unknown (private or loopback address)";
  return [box.city, box.country].filter(Boolean).join(", ") || "unknown";
}

function drawBoxes(network, now) {
  const body = byId("boxes").tBodies[0];
  body.replaceChildren();
  if (network.boxes.length === 0) {
    const row = body.insertRow();
    row.className = "empty";
    cell(row, "No box is live.").colSpan = 10;
    return;
  }
  for (const box of network.boxes) {
    const row = body.insertRow();
    row.dataset.boxId = box.id;
    row.dataset.state = box.state;
    cell(row, box.id, "id");
    cell(row, box.state, "state");
    cell(row, place(box), "place");
    cell(row, age(box.lastHeartbeatAt, now), "heartbeat");
    cell(row, box.storageQuota ? `${bytes(box.storageUsed)} / ${bytes(box.storageQuota)}` : bytes(box.storageUsed), "storage");
    cell(row, box.files ?? "–", "files");
    cell(row, box.bandwidthCeiling ? `${bytes(box.bandwidthUsed)}/s of ${bytes(box.bandwidthCeiling)}/s` : `${bytes(box.bandwidthUsed)}/s`, "bandwidth");
    cell(row, box.requestsServed, "requests");
    cell(row, bytes(box.bytesServed), "bytes-served");
    cell(row, box.httpUrl ?? "–", "url");
  }
}

function drawGone(network, now) {
  const body = byId("gone").tBodies[0];
  body.replaceChildren();
  if (network.gone.length === 0) {
    const row = body.insertRow();
    row.className = "empty";
    cell(row, "None.").colSpan = 3;
    return;
  }
  for (const gone of network.gone) {
    const row = body.insertRow();
    row.dataset.boxId = gone.ID;
    row.dataset.reason = gone.REASON;
    cell(row, gone.ID, "id");
    cell(row, gone.REASON === "expired" ? "expired (silent too long)" : gone.REASON === "closed" ? "closed its session" : gone.REASON, "reason");
    cell(row, age(new Date(gone.AT).toISOString(), now), "when");
  }
}

function drawTotals(network) {
  const stats = network.stats;
  byId("boxes-live").textContent = stats.boxesLive;
  byId("boxes-draining").textContent = stats.boxesDraining;
  byId("requests-served").textContent = stats.requestsServed;
  byId("bytes-served").textContent = bytes(stats.bytesServed);
  byId("exchanges").textContent = `${stats.exchanges} / ${stats.searches}`;
  const sum = (key) => network.boxes.reduce((total, box) => total + (box[key] ?? 0), 0);
  byId("storage-used").textContent = bytes(sum("storageUsed"));
  byId("bandwidth-used").textContent = bytes(sum("bandwidthUsed")) + "/s";
  byId("heartbeat").textContent = network.heartbeatSeconds + " s";
  byId("expiry").textContent = network.expirySeconds + " s";
}

async function refresh() {
  const status = byId("status");
  try {
    const response = await fetch("api/network", { cache: "no-store" });
    if (!response.ok) throw new Error(`the entrance answered ${response.status}`);
    const network = await response.json();
    const now = Date.parse(network.at);
    drawTotals(network);
    drawBoxes(network, now);
    drawGone(network, now);
    window.dandelionNetwork = network;
    status.dataset.state = "ok";
    status.textContent = `Updated ${new Date(now).toLocaleTimeString()}`;
  } catch (error) {
    status.dataset.state = "error";
    status.textContent = `Not updated: ${error.message}`;
  } finally {
    setTimeout(refresh, 1000);
  }
}

refresh();
