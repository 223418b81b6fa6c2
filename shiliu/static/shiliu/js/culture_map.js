// Public library items per province on the bundled China map: data from json_script, map GeoJSON from this site.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("culture-map");
    const source = document.getElementById("culture-map-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    fetch(el.dataset.mapUrl, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((geo) => {
        echarts.registerMap("china", geo);
        const chart = echarts.init(el, null, { renderer: "svg" });
        const max = Math.max(1, ...data.rows.map((r) => r.value));
        chart.setOption({
          tooltip: { trigger: "item" },
          visualMap: { min: 0, max, left: "left", bottom: 0, calculable: false, inRange: { color: ["#f3e3d3", "#b5472f"] } },
          series: [{ type: "map", map: "china", roam: false, data: data.rows }],
        });
        window.addEventListener("resize", () => chart.resize());
      })
      .catch(() => { el.hidden = true; });
  });
})();
