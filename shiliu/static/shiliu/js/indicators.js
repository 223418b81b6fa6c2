// Indicators: an evaluation's scores split into indicator contributions (stacked bars), and the change of each
// community's diversity between two periods (tiles coloured by the change). Data from json_script; ECharts (npm).
(function () {
  "use strict";
  function read(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  document.addEventListener("DOMContentLoaded", () => {
    if (typeof echarts === "undefined") return;
    const run = read("run-chart-data");
    const runEl = document.getElementById("run-chart");
    if (run && runEl) {
      const chart = echarts.init(runEl, null, { renderer: "svg" });
      chart.setOption({
        animationDuration: 300,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", inverse: true, data: run.units },
        series: run.series.map((s) => ({ name: s.name, type: "bar", stack: "score", data: s.data })),
      });
      window.addEventListener("resize", () => chart.resize());
    }
    const change = read("change-chart-data");
    const changeEl = document.getElementById("change-chart");
    if (change && changeEl) {
      const chart = echarts.init(changeEl, null, { renderer: "svg" });
      const deltas = change.children.map((c) => c.delta);
      const span = Math.max(0.01, ...deltas.map(Math.abs));
      chart.setOption({
        tooltip: { formatter: (p) => `${p.name}: ${p.data.delta >= 0 ? "+" : ""}${p.data.delta}` },
        visualMap: { min: -span, max: span, inRange: { color: ["#c0392b", "#f5f5f5", "#1e8449"] }, show: true, orient: "horizontal", left: "center", bottom: 0, calculable: false },
        series: [{
          type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false }, top: 8, bottom: 40,
          label: { show: true, formatter: "{b}" },
          data: change.children.map((c) => ({ name: c.name, value: 1, delta: c.delta, visualDimension: 1 })),
          visualDimension: "delta",
        }],
      });
      // treemap colours from visualMap need the value dimension: give each tile [size, delta].
      chart.setOption({ series: [{ data: change.children.map((c) => ({ name: c.name, value: [1, c.delta], delta: c.delta })), visualDimension: 1 }] });
      window.addEventListener("resize", () => chart.resize());
    }
  });
})();
