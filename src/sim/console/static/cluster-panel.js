// The sidebar's view of the simulated cluster (health, shards per node, relocations in flight)
// and the speed control that sets the simulator's time factor.
import { escapeHtml } from './mrkdwn.js';

const SPEEDS = [1, 10, 60, 300, 1000, 3000, 10000];
const POLL_MS = 1000;

function zoneTag(zone) {
  return zone === 'primary' ? 'pri' : zone === 'secondary' ? 'sec' : zone || '-';
}

function render(s) {
  const health = document.getElementById('cluster-health');
  const relocating = s.relocationCount;
  health.innerHTML =
    `<span class="health-dot health-${escapeHtml(s.health)}"></span>${escapeHtml(s.health)} · ${s.nodes.length} nodes · ${relocating} relocating` +
    (s.tickError ? `<div class="muted">${escapeHtml(s.tickError)}</div>` : '');

  const max = Math.max(1, ...s.nodes.map((n) => n.shards));
  const rows = s.nodes.map((n) => {
    const flow = [n.incoming ? `↓${n.incoming}` : '', n.outgoing ? `↑${n.outgoing}` : ''].filter(Boolean).join(' ');
    const cls = [n.alive ? '' : 'dead', n.outgoing && !n.incoming ? 'draining' : ''].filter(Boolean).join(' ');
    return (
      `<tr class="${cls}" data-node="${escapeHtml(n.name)}" title="${escapeHtml(`${n.name} ${n.ip} zone ${n.zone}`)}">` +
      `<td class="n-name">${escapeHtml(n.name)}</td><td class="n-zone">${escapeHtml(zoneTag(n.zone))}</td>` +
      `<td style="width:100%"><div class="bar"><span style="width:${(100 * n.shards) / max}%"></span></div></td>` +
      `<td class="n-count" data-shards="${n.shards}">${n.shards}</td><td class="n-flow">${flow}</td></tr>`
    );
  });
  document.getElementById('nodes').innerHTML = rows.join('');

  const reloc = document.getElementById('relocations');
  reloc.innerHTML = relocating
    ? `<div class="r-head">Relocations (${relocating})</div>${s.relocations.map((r) => `<div class="r-line" title="${escapeHtml(r.shard)}">${escapeHtml(r.from)} → ${escapeHtml(r.to)} ${r.percent}% <span class="muted">${escapeHtml(r.shard)}</span></div>`).join('')}`
    : '';
  syncSpeed(s.speed);
}

function syncSpeed(speed) {
  const select = document.getElementById('speed');
  if (document.activeElement === select) return;
  if (![...select.options].some((o) => Number(o.value) === speed)) {
    select.append(new Option(`×${speed}`, String(speed)));
  }
  select.value = String(speed);
}

/** Starts polling the cluster summary; the speed select PUTs the factor the person picks. */
export function startClusterPanel() {
  const select = document.getElementById('speed');
  for (const s of SPEEDS) select.append(new Option(`×${s}`, String(s)));
  select.addEventListener('change', async () => {
    const res = await fetch('/api/speed', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ factor: Number(select.value) }),
    });
    select.blur();
    if (res.ok) document.getElementById('cluster').dataset.speed = String((await res.json()).speed);
    void poll();
  });
  let busy = false;
  async function poll() {
    if (busy) return;
    busy = true;
    try {
      const res = await fetch('/api/cluster');
      if (res.ok) render(await res.json());
      else document.getElementById('cluster-health').textContent = `simulator: HTTP ${res.status}`;
    } catch {
      document.getElementById('cluster-health').textContent = 'simulator unreachable';
    } finally {
      busy = false;
    }
  }
  void poll();
  setInterval(poll, POLL_MS);
}
