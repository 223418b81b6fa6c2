// Lecture reach: sessions and person-times per row, as bars; the table below holds the same figures.
// On a phone the bars lie down (the region names stay readable on the left), the legend sits above the plot,
// each value axis is named under (sessions) or above (person-times) the plot, large numbers are shortened (12万).
(function () {
  "use strict";
  // 12万 in Chinese, 120K in English: the page's language decides.
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "zh-Hans", {
    notation: "compact",
    maximumFractionDigits: 1,
  });
  const compact = (value) => numbers.format(value);
  const option = (el, data, narrow) => {
    const names = [el.dataset.sessions, el.dataset.people];
    const series = [
      { name: names[0], type: "bar", data: data.sessions },
      { name: names[1], type: "bar", data: data.people },
    ];
    if (!narrow) {
      series[1].yAxisIndex = 1;
      return {
        tooltip: { trigger: "axis" },
        legend: { data: names, top: 0 },
        grid: { left: 60, right: 60, top: 56, bottom: 70 },
        xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
        yAxis: [
          { type: "value", name: names[0] },
          { type: "value", name: names[1], axisLabel: { formatter: compact } },
        ],
        series,
      };
    }
    series[1].xAxisIndex = 1;
    return {
      tooltip: { trigger: "axis", confine: true },
      legend: { data: names, top: 0, left: 0, itemWidth: 14, textStyle: { fontSize: 12 } },
      grid: { left: 4, right: 16, top: 78, bottom: 44, containLabel: true },
      yAxis: {
        type: "category",
        data: data.labels,
        inverse: true,
        axisLabel: { width: 84, overflow: "truncate", fontSize: 11 },
      },
      xAxis: [
        {
          type: "value",
          position: "bottom",
          name: names[0],
          nameLocation: "middle",
          nameGap: 24,
          axisLabel: { fontSize: 10, formatter: compact },
        },
        {
          type: "value",
          position: "top",
          name: names[1],
          nameLocation: "middle",
          nameGap: 24,
          splitLine: { show: false },
          axisLabel: { fontSize: 10, formatter: compact },
        },
      ],
      series,
    };
  };
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("reach-chart");
    const source = document.getElementById("reach-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const isNarrow = () => el.clientWidth < 576;
    let narrow = isNarrow();
    if (narrow) el.style.height = `${Math.max(320, 80 + data.labels.length * 44)}px`;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(el, data, narrow));
    window.addEventListener("resize", () => {
      if (isNarrow() !== narrow) {
        narrow = isNarrow();
        el.style.height = narrow ? `${Math.max(320, 80 + data.labels.length * 44)}px` : "";
        chart.setOption(option(el, data, narrow), true);
      }
      chart.resize();
    });
  });
})();
