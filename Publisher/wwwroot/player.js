// The live player: plays /live/{stream}.m3u8 with hls.js (vendored by scripts/setup.sh) and shows,
// for every segment, whether a box or the origin (this publisher) served its bytes. The counters
// are on window.dandelionStats for tests and curious operators. Every segment is checked against
// the SHA-256 the playlist gives for it (verify.js) before hls.js plays it.
"use strict";

const params = new URLSearchParams(location.search);
const streamName = params.get("stream") || "stream";
const playlistUrl = `live/${encodeURIComponent(streamName).replace(/%2F/g, "/")}.m3u8`;
const shownRows = 20;
// How far behind the live edge the player holds, in segments (?sync=N, 1-10): 2 by default, so
// with 2 s segments it plays 4 s behind and never more than 3 segments (it catches up by playing
// faster, or jumps when further). With 1 s segments use ?sync=3: the buffer stays 3 s deep.
const syncSegments = Math.min(10, Math.max(1, Number.parseInt(params.get("sync"), 10) || 2));
const byId = (id) => document.getElementById(id);

const stats = {
  stream: streamName,
  segments: 0,
  boxSegments: 0,
  originSegments: 0,
  boxBytes: 0,
  originBytes: 0,
  // Fragment requests that failed and were retried by hls.js (a box that vanished mid-load, say).
  failedLoads: 0,
  fatalErrors: [],
  // Checked against the playlist's SHA-256: matches, and box copies that did not match (verify.js).
  verify: verifyStats,
  // Adaptive bitrate: the rendition playing ({ index, height, bitrate }) and each switch ({ at, index, height, bitrate }).
  level: null,
  levelSwitches: [],
  // Seconds behind the live edge as hls.js measures it, sampled every 500 ms: { at, latency }.
  latency: [],
  // Every loaded segment, oldest first: { name, url, servedBy: "box" | "origin", host, boxName, bytes, at }.
  log: [],
};
window.dandelionStats = stats;

// Box names by the host:port viewers fetch from (GET boxes), refreshed every few seconds.
const boxNames = new Map();
async function refreshBoxNames() {
  try {
    const response = await fetch("boxes", { cache: "no-store" });
    if (response.ok) {
      for (const box of await response.json()) boxNames.set(box.host, box.name);
    }
  } catch {
    // Names are a nicety: the host is shown until they come.
  }
}
refreshBoxNames();
setInterval(refreshBoxNames, 5000);

function setStatus(state, text) {
  const status = byId("status");
  status.dataset.state = state;
  status.textContent = text;
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
}

function record(frag, finalUrl, length) {
  const url = new URL(finalUrl, location.href);
  // A box copy that failed its check was replaced by the origin's bytes (verify.js).
  if (refetchedFrags.has(frag)) url.host = location.host;
  const servedBy = url.origin === location.origin ? "origin" : "box";
  const entry = {
    name: url.pathname.split("/").pop(),
    url: url.href,
    servedBy,
    host: servedBy === "box" ? url.host : "origin",
    // The box's owner-given name, as run-local and the entrance's dashboard show it.
    boxName: servedBy === "box" ? boxNames.get(url.host) ?? null : null,
    bytes: length,
    sn: frag.sn,
    at: performance.now(),
  };
  stats.log.push(entry);
  stats.segments++;
  if (servedBy === "box") { stats.boxSegments++; stats.boxBytes += length; }
  else { stats.originSegments++; stats.originBytes += length; }
  draw(entry);
}

function draw(entry) {
  const total = stats.boxBytes + stats.originBytes;
  byId("segments").textContent = stats.segments;
  byId("box-bytes").textContent = bytes(stats.boxBytes);
  byId("origin-bytes").textContent = bytes(stats.originBytes);
  byId("box-share").textContent = shareText(total);
  byId("verified").textContent = verifyStats.mismatches.length === 0
    ? `${verifyStats.verified}` : `${verifyStats.verified} (${verifyStats.mismatches.length} bad box copies refetched)`;

  const body = byId("segments-table").tBodies[0];
  const row = body.insertRow(0);
  row.dataset.servedBy = entry.servedBy;
  for (const [text, className] of [[entry.name, "name"], [entry.boxName ? `${entry.boxName} (${entry.host})` : entry.host, "served-by"], [bytes(entry.bytes), "bytes"],
                                   [new Date().toLocaleTimeString(), "at"]]) {
    const cell = row.insertCell();
    cell.textContent = text;
    cell.className = className;
  }
  while (body.rows.length > shownRows) body.deleteRow(body.rows.length - 1);
}

// Bytes this page loaded, by where they came from; a failed load (a box that did not answer) and
// its retry are said apart, as the publisher's /api/stats says redirects apart from deliveries.
function shareText(total) {
  const share = total === 0 ? "–" : (100 * stats.boxBytes / total).toFixed(1) + " %";
  return stats.failedLoads === 0 ? share : `${share} (${stats.failedLoads} failed loads retried, not counted)`;
}

async function playlistAvailable() {
  try {
    const response = await fetch(playlistUrl, { method: "HEAD", cache: "no-store" });
    return response.ok;
  } catch {
    return false;
  }
}

function start() {
  const video = byId("video");
  const hls = new Hls({
    ...verifyingLoaders(Hls.DefaultConfig.loader),
    // Near the live edge: a stall or a slow start is caught up by playing up to 1.5 times as
    // fast, and past one more segment by a jump back to the sync point.
    liveSyncDurationCount: syncSegments,
    liveMaxLatencyDurationCount: syncSegments + 1,
    maxLiveSyncPlaybackRate: 1.5,
    // A stall does not move the target further from the edge (hls.js adds 1 s per stall by default).
    liveSyncOnStallIncrease: 0,
    maxBufferLength: 30,
    // A failed segment load (its box died) is retried at once: the publisher then redirects to another holder.
    fragLoadPolicy: {
      default: {
        maxTimeToFirstByteMs: 3000,
        maxLoadTimeMs: 20000,
        timeoutRetry: { maxNumRetry: 6, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 8, retryDelayMs: 100, maxRetryDelayMs: 2000 },
      },
    },
    // The playlist is retried through an outage of the viewer's network rather than given up on.
    playlistLoadPolicy: {
      default: {
        maxTimeToFirstByteMs: 4000,
        maxLoadTimeMs: 8000,
        timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 30, retryDelayMs: 500, maxRetryDelayMs: 2000 },
      },
    },
  });
  window.dandelionHls = hls;
  // Behind the live edge: the end of the last segment listed, plus the time since the playlist last
  // grew, less the playing position. (hls.latency is updated only on timeupdate, so a stall hides in it.)
  setInterval(() => {
    const details = hls.latestLevelDetails;
    if (!details?.live || video.currentTime === 0) return;
    const latency = details.edge + details.age - video.currentTime;
    stats.latency.push({ at: performance.now(), latency });
    if (stats.latency.length > 2400) stats.latency.shift();
    byId("latency").textContent = latency.toFixed(1) + " s";
  }, 500);

  hls.on(Hls.Events.FRAG_LOADED, (_, data) => {
    // The XHR followed the publisher's 302: its responseURL is where the bytes came from.
    const finalUrl = data.networkDetails?.responseURL || data.frag.url;
    // The loader's count: by now the payload may have been handed (transferred) to hls.js's worker.
    const length = data.frag.stats.loaded || data.payload?.byteLength || 0;
    record(data.frag, finalUrl, length);
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => {
    const level = hls.levels[data.level];
    if (!level) return;
    stats.level = { index: data.level, height: level.height, bitrate: level.bitrate };
    stats.levelSwitches.push({ at: performance.now(), ...stats.level });
    byId("level").textContent = `${level.height ? level.height + "p" : "level " + data.level} (${Math.round(level.bitrate / 1000)} kbit/s)` +
      (hls.levels.length > 1 ? `, ${data.level + 1} of ${hls.levels.length}` : "");
  });
  hls.on(Hls.Events.ERROR, (_, data) => {
    if (data.details === Hls.ErrorDetails.FRAG_LOAD_ERROR || data.details === Hls.ErrorDetails.FRAG_LOAD_TIMEOUT)
      { stats.failedLoads++; byId("box-share").textContent = shareText(stats.boxBytes + stats.originBytes); }
    if (!data.fatal) return;
    stats.fatalErrors.push(`${data.type}: ${data.details}`);
    setStatus("error", `Playback error: ${data.details}; recovering…`);
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    else hls.startLoad();
  });
  video.addEventListener("playing", () => setStatus("playing", `Playing ${streamName}`));
  video.addEventListener("waiting", () => setStatus("waiting", "Buffering…"));

  hls.loadSource(playlistUrl);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => { /* autoplay refused: the controls remain */ }));
}

async function main() {
  byId("stream-name").textContent = streamName;
  if (!window.Hls || !Hls.isSupported()) {
    setStatus("error", window.Hls
      ? "This browser cannot play HLS through Media Source Extensions."
      : "hls.js is missing (vendor/hls.min.js): run ./scripts/setup.sh.");
    return;
  }
  while (!(await playlistAvailable())) {
    setStatus("waiting", `The stream "${streamName}" is not available yet: waiting for ${playlistUrl}…`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  setStatus("waiting", "Loading…");
  start();
}

main();
