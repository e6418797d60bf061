// The operator dashboard: polls api/network every second and redraws the totals, the map and
// the tables. No build step; the map and chart libraries are served from vendor/.
"use strict";

function empty(body, text, columns) {
  const row = body.insertRow();
  row.className = "empty";
  cell(row, text).colSpan = columns;
}

function place(box) {
  const p = box.place;
  let note = "by " + (sources[p.source] ?? p.source);
  if (p.stated && p.source !== "stated") {
    note += `; owner says ${[p.stated.CITY, p.stated.COUNTRY].filter(Boolean).join(", ") || `${p.stated.LAT}, ${p.stated.LON}`}`;
  }
  if (p.statedNote) {
    note += `; ${p.statedNote}`;
  }
  if (p.geoIp) {
    note += p.geoIp.KNOWN ? `; GeoIP says ${[p.geoIp.CITY, p.geoIp.COUNTRY].filter(Boolean).join(", ") || "elsewhere"}` : "; GeoIP could not place it";
  }
  return twoLines(placeName(p), note);
}

function searches(box) {
  const s = box.searches;
  if (s.seen === 0) return "none yet";
  const last = s.last;
  const parts = last ? `last: rank ${last.RANK} of ${last.OF}, score ${last.SCORE.toFixed(2)} (distance ${last.PARTS.DISTANCE.toFixed(2)}, bandwidth ${last.PARTS.BANDWIDTH.toFixed(2)}, storage ${last.PARTS.STORAGE.toFixed(2)}, load ${last.PARTS.LOAD.toFixed(2)}; ${Math.round(last.DISTANCE_KM)} km)` : "";
  return twoLines(`chosen in ${s.chosen} of ${s.seen}`, parts);
}

function drawBoxes(network, now) {
  const body = byId("boxes").tBodies[0];
  body.replaceChildren();
  if (network.boxes.length === 0) return empty(body, "No box is live.", 9);
  for (const box of network.boxes) {
    const row = body.insertRow();
    row.dataset.boxId = box.id;
    row.dataset.state = box.state;
    row.dataset.kind = box.traffic.kind;
    // A publisher caught it serving altered files (its viewers' reports, confirmed by its own fetch).
    const distrustedBy = network.publishers.filter((p) => (p.DISTRUSTED ?? []).includes(box.id)).map((p) => p.NAME ?? p.ID);
    if (distrustedBy.length > 0) row.dataset.distrusted = "true";
    cell(row, twoLines(box.name ?? "(version 1, unnamed)", box.id, "id"), "name");
    if (distrustedBy.length > 0) row.cells[0].append(twoLines("", `distrusted: served altered files to ${distrustedBy.join(", ")}`, "distrusted"));
    cell(row, box.version < 2 ? `${box.state} (v1)` : box.state, "state");
    cell(row, place(box), "place");
    cell(row, ago(now - Date.parse(box.lastHeartbeatAt)), "heartbeat");
    cell(row, twoLines(box.storageQuota ? `${bytes(box.storageUsed)} of ${bytes(box.storageQuota)}` : bytes(box.storageUsed), `${box.files ?? "–"} files`), "storage");
    cell(row, twoLines(`${bytes(box.bandwidthUsed)}/s`, box.bandwidthCeiling ? `ceiling ${bytes(box.bandwidthCeiling)}/s` : "no ceiling stated"), "bandwidth");
    cell(row, twoLines(bytes(box.bytesServed), `${box.requestsServed} requests`), "bytes-served");
    cell(row, searches(box), "searches");
    cell(row, box.traffic.sentence, "why");
  }
}

function drawPublishers(network, now) {
  const body = byId("publishers-table").tBodies[0];
  body.replaceChildren();
  if (network.publishers.length === 0) return empty(body, "No publisher has searched in the last two minutes.", 4);
  for (const publisher of network.publishers) {
    const row = body.insertRow();
    row.dataset.publisherId = publisher.ID;
    cell(row, twoLines(publisher.NAME ?? "(unnamed)", publisher.ID, "id"), "name");
    const geo = publisher.GEO;
    cell(row, geo ? twoLines([geo.CITY, geo.COUNTRY].filter(Boolean).join(", ") || `${geo.LAT.toFixed(2)}, ${geo.LON.toFixed(2)}`, "by " + (sources[geo.SOURCE] ?? geo.SOURCE ?? "GeoIP")) : "–", "place");
    const streams = publisher.STREAMS.map((s) => {
      const total = s.ORIGIN_BYTES + s.BOX_BYTES;
      return `${s.NAME}: ${bytes(s.ORIGIN_BYTES)} / ${bytes(s.BOX_BYTES)} (${percent(total ? s.BOX_BYTES / total : null)} through boxes)`;
    });
    const caught = (publisher.DISTRUSTED ?? []).length;
    cell(row, (streams.join("; ") || "no streams yet") + (caught ? `; distrusts ${caught} box${caught > 1 ? "es" : ""} that served altered files` : ""), "streams");
    cell(row, ago(now - publisher.AT), "at");
  }
}

function drawGone(network, now) {
  const body = byId("gone").tBodies[0];
  body.replaceChildren();
  if (network.gone.length === 0) return empty(body, "None.", 4);
  for (const gone of network.gone) {
    const row = body.insertRow();
    row.dataset.boxId = gone.ID;
    row.dataset.reason = gone.REASON;
    row.dataset.returned = String(gone.RETURNED);
    cell(row, twoLines(gone.NAME ?? "(unnamed)", gone.ID, "id"), "name");
    cell(row, gone.TIMES > 1 ? `${gone.WHY} (left ${gone.TIMES} times)` : gone.WHY, "reason");
    cell(row, ago(now - gone.AT), "when");
    cell(row, gone.RETURNED ? "back, live again" : "not back", "since");
  }
}

function drawTotals(network) {
  const stats = network.stats;
  byId("boxes-live").textContent = stats.boxesLive;
  byId("boxes-draining").textContent = stats.boxesDraining;
  byId("publishers").textContent = `${network.publishers.length} / ${network.offload.streams}`;
  byId("bandwidth-used").textContent = bytes(network.liveTotals.uploadBytesPerSecond) + "/s";
  byId("live-bytes-served").textContent = bytes(network.liveTotals.bytesServed);
  byId("bytes-served").textContent = bytes(stats.bytesServed);
  byId("offload-share").textContent = percent(network.offload.share);
  byId("exchanges").textContent = `${stats.exchanges} / ${stats.searches}`;
  byId("heartbeat").textContent = network.heartbeatSeconds + " s";
  byId("expiry").textContent = network.expirySeconds + " s";
}

async function refresh() {
  const status = byId("status");
  try {
    const response = await operatorFetch("api/network");
    if (!response.ok) throw new Error(`the entrance answered ${response.status}`);
    const network = await response.json();
    const now = Date.parse(network.at);
    drawTotals(network);
    dandelionMap.draw(network, now);
    drawBoxes(network, now);
    drawPublishers(network, now);
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
