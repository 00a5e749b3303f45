// Runs inside the dashboard page (playwright addInitScript) before any of its scripts: counts
// device-state events as they arrive on the WebSocket, remembers the send stamp of each batch,
// and on every animation frame records the frame interval and which stamped batches the map's
// debug hook (window.__opsMap.stats().drawn) reports as drawn.
export function installPageProbe(session) {
  localStorage.setItem('sanitation.session', JSON.stringify(session));
  const B = (window.__bench = { frames: [], probes: [], pending: [], received: 0, streaming: false, firstRender: null, lastT: null });
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        const d = ev.data;
        if (typeof d !== 'string' || !d.startsWith('42/live,["device:state"')) return;
        let msg;
        try {
          msg = JSON.parse(d.slice(d.indexOf('[')));
        } catch {
          return;
        }
        const events = msg[1];
        B.received += events.length;
        const sentAt = events[0] && events[0].benchSentAt;
        if (sentAt) B.pending.push({ sentAt, target: B.received });
      });
    }
  };
  const loop = (t) => {
    if (B.streaming && B.lastT !== null) B.frames.push(t - B.lastT);
    B.lastT = t;
    const m = window.__opsMap;
    if (m) {
      const st = m.stats();
      if (B.firstRender === null && st.pushes > 0 && st.assets > 0 && m.isIdle()) B.firstRender = performance.now();
      while (B.pending.length > 0 && st.drawn >= B.pending[0].target) {
        const p = B.pending.shift();
        B.probes.push(Date.now() - p.sentAt);
      }
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

/**
 * In the page: how many pixels of the map area in a screenshot (PNG, base64) carry an asset
 * colour — a blank or base-map-only canvas has none. Screenshot pixels are what the compositor
 * showed, so the map's WebGL canvas needs no preserveDrawingBuffer for this.
 */
export async function countAssetPixels([png, colours, rect]) {
  const img = new Image();
  img.src = `data:image/png;base64,${png}`;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = Math.round(rect.width);
  c.height = Math.round(rect.height);
  const g = c.getContext('2d');
  g.drawImage(img, -Math.round(rect.x), -Math.round(rect.y));
  const { data } = g.getImageData(0, 0, c.width, c.height);
  const rgb = colours.map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);
  let asset = 0;
  for (let i = 0; i < data.length; i += 4) {
    for (const [r, gg, b] of rgb) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - gg) + Math.abs(data[i + 2] - b) < 60) {
        asset++;
        break;
      }
    }
  }
  return { total: data.length / 4, asset };
}
