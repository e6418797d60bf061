// Viewers who verify: the publisher puts each segment's SHA-256 in the playlist, just above the
// segment (#EXT-X-DANDELION-SHA256:<hex>, docs/PROTOCOL.md). The playlist loader below notes
// them; the fragment loader hashes every segment before hls.js gets it. A segment a box sent with
// other bytes is fetched again from the origin (/media/…?origin=1), and the box is reported to
// the publisher (POST integrity/report), which checks the box itself before it acts.
"use strict";

const hashTag = "#EXT-X-DANDELION-SHA256:";
// Expected SHA-256 by absolute segment URL; the oldest go past this many (a live window is a few).
const keptHashes = 2000;
const segmentHashes = new Map();
// Fragments whose bytes were refetched from the origin: where the played bytes came from.
const refetchedFrags = new WeakSet();

const verifyStats = {
  // Segments whose bytes matched the playlist's SHA-256, and those that did not (by where they came from).
  verified: 0,
  // { name, host, expected, actual, refetched, verdict }: a box sent other bytes (actual); refetched is
  // the SHA-256 of the origin's bytes played instead; verdict is the publisher's answer to the report.
  mismatches: [],
};

async function sha256Hex(data) {
  if (window.crypto?.subtle) {
    const digest = await crypto.subtle.digest("SHA-256", data);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }
  return sha256Plain(data);
}

function noteHashes(text, playlistUrl) {
  let expected = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith(hashTag)) {
      const hex = line.slice(hashTag.length).toLowerCase();
      expected = /^[0-9a-f]{64}$/.test(hex) ? hex : null;
    } else if (line.length > 0 && !line.startsWith("#")) {
      if (expected) {
        const url = new URL(line, playlistUrl).href;
        segmentHashes.delete(url);
        segmentHashes.set(url, expected);
        if (segmentHashes.size > keptHashes) segmentHashes.delete(segmentHashes.keys().next().value);
      }
      expected = null;
    }
  }
}

function reportBox(path, boxUrl, entry) {
  fetch("integrity/report", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ path, url: boxUrl }),
  }).then((r) => r.ok ? r.json() : { verdict: `http ${r.status}` })
    .then((answer) => { entry.verdict = answer.verdict; }, () => { entry.verdict = "unsent"; });
}

// The bytes to play: the box's when they match, else the origin's. Throws when the origin fails too.
async function verified(response, context, networkDetails) {
  const expected = segmentHashes.get(context.url);
  if (!expected || !(response.data instanceof ArrayBuffer)) return response;
  const finalUrl = new URL(networkDetails?.responseURL || response.url || context.url, location.href);
  const actual = await sha256Hex(response.data);
  if (actual === expected) { verifyStats.verified++; return response; }
  if (finalUrl.origin === location.origin) return response; // the origin is the source of truth

  const mediaUrl = new URL(context.url, location.href);
  const entry = { name: mediaUrl.pathname.split("/").pop(), host: finalUrl.host, expected, actual, verdict: null };
  verifyStats.mismatches.push(entry);
  reportBox(decodeURIComponent(mediaUrl.pathname.replace(/^\/media/, "")), finalUrl.href, entry);
  mediaUrl.searchParams.set("origin", "1");
  const again = await fetch(mediaUrl, { cache: "no-store" });
  if (!again.ok) throw new Error(`the origin answered ${again.status} for ${mediaUrl.pathname}`);
  const data = await again.arrayBuffer();
  entry.refetched = await sha256Hex(data);
  if (context.frag) refetchedFrags.add(context.frag);
  return { url: mediaUrl.href, data };
}

// hls.js loaders: its own XHR loader, with the playlist noted and every segment checked before use.
function verifyingLoaders(Base) {
  class PlaylistLoader extends Base {
    load(context, config, callbacks) {
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, ctx, details) => {
          if (typeof response.data === "string") noteHashes(response.data, response.url || ctx.url);
          callbacks.onSuccess(response, stats, ctx, details);
        },
      });
    }
  }
  class FragmentLoader extends Base {
    load(context, config, callbacks) {
      super.load(context, config, {
        ...callbacks,
        onSuccess: (response, stats, ctx, details) => {
          verified(response, ctx, details).then((checked) => {
            if (stats.aborted) return;
            if (checked !== response) stats.loaded = stats.total = checked.data.byteLength;
            callbacks.onSuccess(checked, stats, ctx, details);
          }, (error) => {
            if (!stats.aborted) callbacks.onError({ code: 0, text: String(error) }, ctx, details, stats);
          });
        },
      });
    }
  }
  return { pLoader: PlaylistLoader, fLoader: FragmentLoader };
}
