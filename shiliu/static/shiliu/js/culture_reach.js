// Lecture reach: sessions and person-times per row, as bars; the table below holds the same figures.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("reach-chart");
    const source = document.getElementById("reach-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [el.dataset.sessions, el.dataset.people] },
      grid: { left: 60, right: 60, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
      yAxis: [{ type: "value", name: el.dataset.sessions }, { type: "value", name: el.dataset.people }],
      series: [
        { name: el.dataset.sessions, type: "bar", data: data.sessions },
        { name: el.dataset.people, type: "bar", yAxisIndex: 1, data: data.people },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
