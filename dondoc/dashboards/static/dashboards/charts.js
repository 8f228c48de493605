/* Draws the dashboard charts from the JSON that the page carries (json_script).
 * Every chart has a table with the same numbers right under it; the chart is a help, not the
 * only way to read. Datasets differ by more than colour: a fill pattern, a border dash and a
 * point style each, and the values are written on the chart. */
(function () {
  "use strict";
  var COLOURS = ["#1b6e3a", "#a4161a", "#8a5a00", "#1f4e8c", "#5a6272", "#6b3fa0", "#00727a", "#9c4f00"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var POINTS = ["circle", "triangle", "rect", "rectRot", "star", "crossRot", "cross", "dash"];

  function pattern(colour, kind) {
    var size = 10, c = document.createElement("canvas");
    c.width = c.height = size;
    var g = c.getContext("2d");
    g.fillStyle = colour; g.fillRect(0, 0, size, size);
    g.strokeStyle = "rgba(255,255,255,.75)"; g.fillStyle = "rgba(255,255,255,.75)"; g.lineWidth = 2;
    switch (kind % 4) {
      case 1: g.beginPath(); g.moveTo(0, size); g.lineTo(size, 0); g.stroke(); break;   // stripes
      case 2: g.beginPath(); g.arc(size / 2, size / 2, 2, 0, 2 * Math.PI); g.fill(); break; // dots
      case 3: g.beginPath(); g.moveTo(0, 0); g.lineTo(size, size); g.moveTo(size, 0); g.lineTo(0, size); g.stroke(); break;
      default: break;                                                                    // plain
    }
    return g.createPattern(c, "repeat");
  }

  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach(function (el, j) {
          var v = ds.data[j];
          if (v === null || v === undefined || v === 0) return;
          var p = el.tooltipPosition();
          var text = String(Math.round(v * 10) / 10).replace(".", ",");
          var w = ctx.measureText(text).width + 6;
          var y = chart.config.type === "line" ? p.y - 12 : p.y;
          ctx.fillStyle = "rgba(255,255,255,.9)"; ctx.fillRect(p.x - w / 2, y - 8, w, 16);
          ctx.fillStyle = "#1d2330"; ctx.fillText(text, p.x, y);
        });
      });
      ctx.restore();
    }
  };

  function dataset(ds, i, type, count) {
    var style = ds.style !== undefined ? ds.style : i;
    var colour = COLOURS[style % COLOURS.length];
    var out = { label: ds.label, data: ds.data, borderColor: colour, borderWidth: 2,
      borderDash: DASHES[style % DASHES.length], pointStyle: POINTS[style % POINTS.length] };
    if (type === "doughnut") {
      out.backgroundColor = ds.data.map(function (_, j) { return pattern(COLOURS[j % COLOURS.length], j); });
      out.borderColor = "#fff"; out.borderDash = [];
    } else if (type === "line") {
      out.backgroundColor = colour; out.pointRadius = 5; out.fill = false; out.spanGaps = true;
    } else {
      out.backgroundColor = pattern(colour, style);
    }
    return out;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var type = spec.type;
    var config = {
      type: type,
      data: { labels: spec.labels, datasets: spec.datasets.map(function (ds, i) { return dataset(ds, i, type); }) },
      plugins: [valueLabels],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } },
        onClick: function (event, elements) {
          if (!spec.links || !elements.length) return;
          var link = spec.links[elements[0].index];
          if (link) window.location.href = link;
        }
      }
    };
    if (type !== "doughnut") config.options.scales = { x: { beginAtZero: true }, y: { beginAtZero: true } };
    new Chart(canvas, config);
  }

  function start() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  window.addEventListener("beforeprint", function () {
    if (typeof Chart === "undefined") return;
    Object.values(Chart.instances || {}).forEach(function (c) { c.resize(); });
  });
})();
