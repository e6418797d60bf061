// Formatting shared by the dashboard's scripts.
"use strict";

const byId = (id) => document.getElementById(id);

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
}

function ago(ms) {
  const seconds = Math.max(0, ms / 1000);
  return seconds < 60 ? seconds.toFixed(1) + " s ago" : seconds < 3600 ? Math.round(seconds / 60) + " min ago" : Math.round(seconds / 3600) + " h ago";
}

function percent(share) {
  return share === null || share === undefined ? "–" : (100 * share).toFixed(1) + " %";
}

function cell(row, text, className) {
  const td = row.insertCell();
  if (text instanceof Node) td.append(text); else td.textContent = text;
  if (className) td.className = className;
  return td;
}

// Two lines in one cell: a main text and a smaller note (or a monospace id).
function twoLines(main, note, noteClass) {
  const fragment = document.createDocumentFragment();
  fragment.append(main);
  if (note) {
    const span = document.createElement("span");
    span.className = noteClass || "note";
    span.textContent = note;
    fragment.append(span);
  }
  return fragment;
}

const sources = {
  geoip: "GeoIP on its address",
  proxy: "GeoIP on the address the proxy forwarded",
  reported: "GeoIP on the public address it reported",
  stated: "its owner's word",
  default: "the configured default (GeoIP could not place it)",
};

function placeName(place) {
  return [place.city, place.country].filter(Boolean).join(", ") || `${place.latitude.toFixed(2)}, ${place.longitude.toFixed(2)}`;
}
