/* global document, Chart */
// Draws the admin page's charts with Chart.js (served from node_modules by this server). The data
// sits in <script type="application/json" id="chart-data">; each <canvas data-chart="name"
// data-kind="bar|doughnut"> picks its series by name. Every chart has a table with the same
// numbers beside it, so the page says everything without JavaScript.
(function () {
  'use strict';
  var source = document.getElementById('chart-data');
  if (!source || typeof Chart === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var levelColours = { green: '#2f9e44', yellow: '#e0a800', orange: '#f76707', red: '#e03131', over: '#862e9c' };
  var palette = ['#1c7ed6', '#f76707', '#2f9e44', '#862e9c', '#e03131', '#0ca678', '#e0a800', '#495057'];
  var usd = function (value) {
    return '$' + Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  };

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var series = data[canvas.getAttribute('data-chart')];
    if (!series) return;
    var kind = canvas.getAttribute('data-kind') === 'doughnut' ? 'doughnut' : 'bar';
    var colours = series.labels.map(function (label, i) {
      return levelColours[label] || palette[i % palette.length];
    });
    new Chart(canvas, {
      type: kind,
      data: {
        labels: series.labels,
        datasets: [{
          label: 'Spend (USD)',
          data: series.values,
          backgroundColor: kind === 'bar' ? '#1c7ed6' : colours,
          borderRadius: kind === 'bar' ? 3 : 0,
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: kind === 'doughnut', position: 'right' },
          tooltip: { callbacks: { label: function (ctx) { return usd(ctx.parsed.y !== undefined ? ctx.parsed.y : ctx.parsed); } } },
        },
        scales: kind === 'bar'
          ? { y: { beginAtZero: true, ticks: { callback: function (value) { return usd(value); } } }, x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } } }
          : {},
      },
    });
  });
})();
