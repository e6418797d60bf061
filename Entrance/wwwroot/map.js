// The world map: countries from world-atlas (served by the entrance), live boxes as circles
// coloured by state and sized by their upload now, publishers as squares. Redrawn each refresh.
"use strict";

const dandelionMap = (() => {
  const svg = byId("map-svg");
  const ns = "http://www.w3.org/2000/svg";
  const extent = [[8, 8], [952, 472]];
  const projection = d3.geoEqualEarth().fitExtent(extent, { type: "Sphere" });
  const worldScale = projection.scale();
  const path = d3.geoPath(projection);
  const sphere = document.createElementNS(ns, "path");
  const outline = document.createElementNS(ns, "path");
  const marks = document.createElementNS(ns, "g");
  let land = null;
  let view = "";
  let ready = false;

  function element(name, attributes) {
    const node = document.createElementNS(ns, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  async function load() {
    sphere.setAttribute("class", "sphere");
    outline.setAttribute("class", "land");
    svg.append(sphere, outline, marks);
    try {
      const world = await (await fetch("vendor/countries-110m.json")).json();
      land = topojson.feature(world, world.objects.countries);
    } catch (error) {
      // Without the outlines the marks still stand where they are.
      console.warn("map outlines not loaded", error);
    }
    ready = true;
  }

  // Zooms to where the marks are (with a margin), never closer than a region nor farther than the world.
  function fit(points) {
    const key = points.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(";");
    if (key === view) return;
    view = key;
    if (points.length === 0) {
      projection.fitExtent(extent, { type: "Sphere" });
    } else {
      const margin = 12;
      const corners = points.flatMap(([lon, lat]) => [[lon - margin, lat - margin / 2], [lon + margin, lat + margin / 2]]);
      projection.fitExtent(extent, { type: "MultiPoint", coordinates: corners.map(([lon, lat]) => [Math.max(-180, Math.min(180, lon)), Math.max(-85, Math.min(85, lat))]) });
      if (projection.scale() < worldScale) projection.fitExtent(extent, { type: "Sphere" });
    }
    sphere.setAttribute("d", path({ type: "Sphere" }));
    if (land) outline.setAttribute("d", path(land));
  }

  function title(node, text) {
    const t = document.createElementNS(ns, "title");
    t.textContent = text;
    node.append(t);
  }

  function draw(network, now) {
    if (!ready) return;
    fit([
      ...network.boxes.map((b) => [b.place.longitude, b.place.latitude]),
      ...network.publishers.filter((p) => p.GEO).map((p) => [p.GEO.LON, p.GEO.LAT]),
    ]);
    marks.replaceChildren();
    const heartbeatMs = network.heartbeatSeconds * 1000;
    // Largest upload sets the scale; an idle box is still a visible dot.
    const largest = Math.max(1, ...network.boxes.map((b) => b.bandwidthUsed ?? 0));
    const labelled = new Set();
    for (const box of network.boxes) {
      const [x, y] = projection([box.place.longitude, box.place.latitude]);
      const silent = now - Date.parse(box.lastHeartbeatAt) > 2 * heartbeatMs + 1000;
      const radius = 4 + 10 * Math.sqrt((box.bandwidthUsed ?? 0) / largest);
      const circle = element("circle", {
        class: "box", cx: x.toFixed(1), cy: y.toFixed(1), r: radius.toFixed(1),
        "data-box-id": box.id, "data-state": box.state, "data-silent": String(silent),
      });
      title(circle, `${box.name ?? box.id}: ${box.state.toLowerCase()}, ${bytes(box.bandwidthUsed ?? 0)}/s, ${placeName(box.place)} (${sources[box.place.source] ?? box.place.source})`);
      marks.append(circle);
      // One label per spot, so boxes in one city do not write over each other.
      const spot = `${Math.round(x / 20)},${Math.round(y / 12)}`;
      if (!labelled.has(spot)) {
        labelled.add(spot);
        const label = element("text", { class: "label", x: (x + radius + 2).toFixed(1), y: (y + 4).toFixed(1) });
        label.textContent = box.name ?? box.id.slice(0, 12);
        marks.append(label);
      }
    }
    for (const publisher of network.publishers) {
      if (!publisher.GEO) continue;
      const [x, y] = projection([publisher.GEO.LON, publisher.GEO.LAT]);
      const square = element("path", { class: "publisher", d: `M${x - 6},${y - 6}h12v12h-12z`, "data-publisher-id": publisher.ID });
      title(square, `publisher ${publisher.NAME ?? publisher.ID}`);
      marks.append(square);
    }
  }

  load();
  return { draw };
})();
