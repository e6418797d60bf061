// The last hour's charts (uPlot), from /api/history every 10 s: boxes live, bytes/s from boxes
// and from the origin, the boxes' share, EXCHANGE and SEARCH rates.
"use strict";

const dandelionCharts = (() => {
  const charts = [];
  const rate = (u, values) => values.map((v) => (v === null ? "" : bytes(v) + "/s"));

  const height = 105;
  const width = (target) => Math.max(240, target.clientWidth - 6);

  function make(id, title, series, axis, range) {
    const target = byId(id);
    const chart = new uPlot({
      title, width: width(target), height,
      series: [{}, ...series],
      axes: [{}, { values: axis, size: 76 }],
      scales: range ? { x: { time: true }, y: { range } } : { x: { time: true } },
      legend: { live: false },
    }, [[]], target);
    charts.push({ chart, target });
    return chart;
  }

  const boxes = make("chart-boxes", "Boxes live", [
    { label: "live", stroke: "#2e7d32", width: 2 },
    { label: "draining", stroke: "#e69500" },
  ]);
  const traffic = make("chart-bytes", "Bytes/s: boxes vs origin", [
    { label: "from boxes", stroke: "#2e7d32", width: 2 },
    { label: "from the origin", stroke: "#c62828", width: 2 },
  ], rate);
  const offload = make("chart-offload", "Offload share", [
    { label: "through boxes", stroke: "#1565c0", width: 2, value: (u, v) => percent(v) },
  ], (u, values) => values.map((v) => (100 * v).toFixed(0) + " %"), [0, 1]);
  const rates = make("chart-rates", "EXCHANGE and SEARCH per second", [
    { label: "EXCHANGE/s", stroke: "#6a1b9a", width: 2 },
    { label: "SEARCH/s", stroke: "#00838f", width: 2 },
  ]);

  async function refresh() {
    try {
      const response = await operatorFetch("api/history");
      if (!response.ok) throw new Error(`the entrance answered ${response.status}`);
      const h = await response.json();
      // From a minute before the first point with data: a young network's few minutes are
      // legible, an older one's whole hour is shown.
      const first = h.boxesLive.findIndex((v) => v !== null);
      const from = first < 0 ? 0 : Math.max(0, first - 6);
      for (const key of Object.keys(h)) h[key] = h[key].slice(from);
      boxes.setData([h.time, h.boxesLive, h.boxesDraining]);
      traffic.setData([h.time, h.boxBytesPerSecond, h.originBytesPerSecond]);
      offload.setData([h.time, h.offloadShare]);
      rates.setData([h.time, h.exchangesPerSecond, h.searchesPerSecond]);
      window.dandelionHistory = h;
    } catch (error) {
      console.warn("history not loaded", error);
    } finally {
      setTimeout(refresh, 10000);
    }
  }

  window.addEventListener("resize", () => {
    for (const { chart, target } of charts) chart.setSize({ width: width(target), height });
  });
  refresh();
  return { refresh };
})();
