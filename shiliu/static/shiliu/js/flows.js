// Visitor flows origin → destination as a Sankey diagram: data from json_script, drawing by ECharts (npm).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("flow-chart");
    const source = document.getElementById("flow-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const size = document.documentElement.classList.contains("senior-mode") ? 20 : 12;  // senior mode: larger
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animationDuration: 300,
      tooltip: { trigger: "item" },
      series: [{
        type: "sankey",
        left: 8,
        right: 120,
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", opacity: 0.45 },
        label: { fontSize: size, color: "#1d1d1d" },
        data: data.nodes.map((name) => ({ name })),
        links: data.links,
      }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
