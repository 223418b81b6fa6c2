// Dashboard charts: data comes from json_script, rendering from ECharts (npm).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("kind-chart");
    const source = document.getElementById("kind-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    // Senior mode (长辈模式): the chart's labels grow with the page's text.
    const size = document.documentElement.classList.contains("senior-mode") ? 20 : 12;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: ["#b3263e"],
      textStyle: { fontSize: size, color: "#1d1d1d" },
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, fontSize: size, rotate: data.labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: size } },
      series: [{ type: "bar", data: data.values, barMaxWidth: 36 }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
