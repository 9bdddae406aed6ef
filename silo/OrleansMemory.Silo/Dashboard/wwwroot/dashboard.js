// OrleansMemory dashboard: polls /dashboard/api/summary every two seconds and draws it. No build step.
"use strict";
(function () {
  const keyStore = "orleansmemory.dashboard.key";
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en-US");

  function headers() {
    const key = sessionStorage.getItem(keyStore);
    return key ? { Authorization: "Bearer " + key } : {};
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function fill(id, rows) {
    const body = $(id);
    body.replaceChildren();
    for (const values of rows) {
      const tr = document.createElement("tr");
      values.forEach((v) => cell(tr, v));
      body.appendChild(tr);
    }
  }

  function uptime(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
  }

  function drawChart(series) {
    const canvas = $("chart");
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, pad = 30;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = "#26303c";
    ctx.beginPath();
    for (let i = 0; i <= 4; i++) { const y = pad / 2 + (h - pad) * i / 4; ctx.moveTo(pad, y); ctx.lineTo(w - 5, y); }
    ctx.stroke();
    if (series.length < 2) { ctx.fillStyle = "#8a94a3"; ctx.fillText("collecting samples…", pad + 10, h / 2); return; }
    const lines = [
      { key: "calls_per_second", color: "#4fb3ff" },
      { key: "mean_latency_ms", color: "#ffb84f" },
      { key: "p95_latency_ms", color: "#ff6b6b" },
    ];
    for (const line of lines) {
      const max = Math.max(1, ...series.map((p) => p[line.key]));
      ctx.strokeStyle = line.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      series.forEach((p, i) => {
        const x = pad + (w - pad - 5) * i / (series.length - 1);
        const y = pad / 2 + (h - pad) * (1 - p[line.key] / max);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
      ctx.fillStyle = line.color;
      ctx.fillText(max.toFixed(1), 2, pad / 2 + 10 + 12 * lines.indexOf(line));
    }
  }

  function render(s) {
    $("cluster").textContent = "cluster " + s.cluster_id + " · " + s.clustering + " clustering";
    $("updated").textContent = "updated " + new Date(s.at).toLocaleTimeString();
    $("silo-count").textContent = fmt.format(s.silos.length);
    $("total-activations").textContent = fmt.format(s.total_activations);
    $("total-calls").textContent = fmt.format(s.total_calls);
    $("failed-calls").textContent = fmt.format(s.failed_calls);
    $("pending-conflicts").textContent = fmt.format(s.pending_conflicts) + (s.users_truncated ? "+" : "");
    fill("silos", s.silos.map((x) => [x.name, x.address, x.status, uptime(x.uptime_seconds)]));
    fill("activations", Object.entries(s.activations).sort().map(([type, n]) => [type, fmt.format(n)]));
    const storageRows = [];
    for (const p of s.storage) {
      if (p.grain_types.length === 0) storageRows.push([p.name, p.type, p.location, "–", "0", "0", "0"]);
      for (const t of p.grain_types) {
        storageRows.push([p.name, p.type, p.location, t.grain_type, fmt.format(t.grain_count), fmt.format(t.record_count), fmt.format(t.payload_bytes)]);
      }
    }
    fill("storage", storageRows);
    drawChart(s.series);
    document.body.dataset.loaded = "true";
  }

  async function refresh() {
    try {
      const response = await fetch("/dashboard/api/summary", { headers: headers() });
      if (response.status === 401 || response.status === 403) {
        $("login").hidden = false;
        $("main").hidden = true;
        $("login-error").textContent = response.status === 403 ? "That key has no admin scope." : "";
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
