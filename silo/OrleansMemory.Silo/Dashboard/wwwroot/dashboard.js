// OrleansMemory dashboard: polls /dashboard/api/summary every two seconds and draws it. No build step.
// Each chart has one y scale (one unit) with labelled ticks and a time axis (HH:MM:SS), drawn as SVG.
"use strict";
(function () {
  const keyStore = "orleansmemory.dashboard.key";
  const svgNs = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en-US");
  const time = (at) => new Date(at).toLocaleTimeString("en-GB", { hour12: false });

  function headers() {
    const key = sessionStorage.getItem(keyStore);
    return key ? { Authorization: "Bearer " + key } : {};
  }

  function fill(id, rows) {
    const body = $(id);
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      if (row.className) tr.className = row.className;
      for (const v of row.cells) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  function uptime(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
  }

  // A "nice" axis maximum (1, 2, 2.5 or 5 times a power of ten) at or above max.
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
    return 10 * power;
  }

  function tickLabel(v) {
    return v >= 1000 ? fmt.format(Math.round(v)) : String(Math.round(v * 100) / 100);
  }

  function el(name, attrs, text) {
    const node = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // One chart: lines (same unit) over time, one y scale from 0 to a nice maximum, 4 ticks; time labels below.
  function drawChart(id, series, keys) {
    const svg = $(id);
    svg.replaceChildren();
    const w = 600, h = 220, left = 56, right = 10, top = 10, bottom = 28;
    const plotW = w - left - right, plotH = h - top - bottom;
    if (series.length < 2) {
      svg.appendChild(el("text", { x: left + 10, y: h / 2 }, "collecting samples…"));
      svg.dataset.ready = "false";
      return;
    }
    const t0 = Date.parse(series[0].at), t1 = Date.parse(series[series.length - 1].at);
    const span = Math.max(t1 - t0, 1);
    const yMax = niceMax(Math.max(...series.flatMap((p) => keys.map((k) => p[k]))));
    const x = (p) => left + plotW * (Date.parse(p.at) - t0) / span;
    const y = (v) => top + plotH * (1 - v / yMax);
    const grid = el("g", { class: "grid" }), yAxis = el("g", { class: "axis y-axis" }), xAxis = el("g", { class: "axis x-axis" });
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      grid.appendChild(el("line", { x1: left, x2: w - right, y1: y(v), y2: y(v) }));
      yAxis.appendChild(el("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, tickLabel(v)));
    }
    yAxis.appendChild(el("line", { x1: left, x2: left, y1: top, y2: top + plotH }));
    xAxis.appendChild(el("line", { x1: left, x2: w - right, y1: top + plotH, y2: top + plotH }));
    for (let i = 0; i <= 3; i++) {
      const at = t0 + span * i / 3;
      const px = left + plotW * i / 3;
      xAxis.appendChild(el("text", { x: px, y: h - 8, "text-anchor": i === 0 ? "start" : i === 3 ? "end" : "middle", class: "tick" }, time(at)));
    }
    svg.append(grid, yAxis, xAxis);
    keys.forEach((key, i) => {
      const d = series.map((p, j) => (j === 0 ? "M" : "L") + x(p).toFixed(1) + " " + y(p[key]).toFixed(1)).join(" ");
      svg.appendChild(el("path", { d, class: "s" + i, "data-series": key }));
    });
    svg.dataset.ready = "true";
    svg.dataset.yMax = String(yMax);
    svg.dataset.from = series[0].at;
    svg.dataset.to = series[series.length - 1].at;
  }

  function render(s) {
    $("cluster").textContent = "cluster " + s.cluster_id + " · " + s.clustering + " clustering · this silo " + s.silo_name;
    $("updated").textContent = "updated " + time(s.at);
    $("orleans-link").href = s.orleans_dashboard;
    const dead = s.silos.filter((x) => x.status === "dead").length;
    $("live-silos").textContent = fmt.format(s.live_silos);
    $("dead-silos").textContent = dead ? dead + " dead (listed 10 min)" : "";
    $("users").textContent = fmt.format(s.users);
    $("conversations").textContent = fmt.format(s.conversations);
    $("agents").textContent = fmt.format(s.agents);
    $("memories").textContent = fmt.format(s.memories) + (s.users_truncated ? "+" : "");
    $("pending-conflicts").textContent = fmt.format(s.pending_conflicts) + (s.users_truncated ? "+" : "");
    $("total-operations").textContent = fmt.format(s.total_operations);
    $("failed-operations").textContent = fmt.format(s.failed_operations) + " failed";
    fill("silos", s.silos.map((x) => ({
      className: "status-" + x.status,
      cells: [x.name, x.address, x.status.replace("_", " "), x.status === "dead" ? "–" : uptime(x.uptime_seconds), time(x.last_seen)],
    })));
    const storageRows = [];
    for (const p of s.storage) {
      if (p.grain_types.length === 0) storageRows.push({ cells: [p.name, p.type, p.location, "–", "0", "0", "0"] });
      for (const t of p.grain_types) {
        storageRows.push({ cells: [p.name, p.type, p.location, t.grain_type, fmt.format(t.grain_count), fmt.format(t.record_count), fmt.format(t.payload_bytes)] });
      }
    }
    fill("storage", storageRows);
    drawChart("chart-rate", s.series, ["operations_per_second", "failed_per_second", "storage_operations_per_second"]);
    drawChart("chart-latency", s.series, ["mean_latency_ms", "p95_latency_ms", "storage_mean_latency_ms"]);
    drawChart("chart-bytes", s.series, ["storage_bytes_per_second"]);
    document.body.dataset.loaded = "true";
    document.body.dataset.at = s.at;
  }

  async function refresh() {
    try {
      const response = await fetch("/dashboard/api/summary", { headers: headers() });
      if (response.status === 401 || response.status === 403) {
        $("login").hidden = false;
        $("main").hidden = true;
        $("login-error").textContent = response.status === 403 ? "That key has no operator scope." : "";
        return;
      }
      $("login").hidden = true;
      $("main").hidden = false;
      render(await response.json());
    } catch (e) {
      $("updated").textContent = "silo unreachable: " + e.message;
    }
  }

  $("login").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(keyStore, $("key").value);
    refresh();
  });
  refresh();
  setInterval(refresh, 2000);
})();
