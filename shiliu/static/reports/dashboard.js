// The dashboard's charts: options from json_script (built on the server from the analytics tables), maps loaded
// from the bundled GeoJSON, a click on a division drills down to it.
(function () {
  "use strict";
  const maps = {};
  function loadMap(spec) {
    if (!spec || !spec.url) return Promise.resolve();
    if (!maps[spec.name]) {
      maps[spec.name] = fetch(spec.url).then((r) => r.json()).then((json) => echarts.registerMap(spec.name, json));
    }
    return maps[spec.name];
  }
  document.addEventListener("DOMContentLoaded", () => {
    // The big screen of a meeting room reloads itself with the tables' newest figures (every five minutes).
    const every = Number(document.body.dataset.refreshSeconds || 0);
    if (every > 0) window.setTimeout(() => window.location.reload(), every * 1000);
    if (typeof echarts === "undefined") return;
    const dark = document.body.classList.contains("big-screen");
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const source = document.getElementById(el.dataset.chart);
      if (!source) return;
      const option = JSON.parse(source.textContent);
      const drill = option.shiliuDrill || null;
      const spec = option.shiliuMap || null;
      delete option.shiliuDrill;
      delete option.shiliuMap;
      if (dark) option.backgroundColor = "transparent";
      loadMap(spec).then(() => {
        const chart = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
        chart.setOption(option);
        el.dataset.ready = "1";
        if (drill) {
          chart.on("click", (params) => {
            const target = drill[params.name];
            if (target) window.location.href = target;
          });
        }
        window.addEventListener("resize", () => chart.resize());
      }).catch(() => { el.dataset.ready = "failed"; });
    });
  });
})();
