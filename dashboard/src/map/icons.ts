import type { DeviceKind } from '@sanitation/contracts';
import type { MapInstance } from './map-adapter';

/**
 * Icons drawn on a canvas at run time (no sprite sheet to fetch): a white pictogram per device
 * kind, laid over the state-coloured circle when zoomed in (trucks are drawn by the map overlay).
 */
const SIZE = 48;

function canvas(): CanvasRenderingContext2D | null {
  const c = document.createElement('canvas');
  c.width = SIZE;
  c.height = SIZE;
  return c.getContext('2d');
}

const draw: Record<Exclude<DeviceKind, 'truck'>, (g: CanvasRenderingContext2D) => void> = {
  bin(g) {
    g.fillRect(14, 12, 20, 4); // lid
    g.fillRect(21, 8, 6, 4);
    g.beginPath();
    g.moveTo(16, 18);
    g.lineTo(32, 18);
    g.lineTo(30, 38);
    g.lineTo(18, 38);
    g.closePath();
    g.fill();
  },
  toilet(g) {
    g.font = 'bold 20px sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText('WC', 24, 25);
  },
  septic(g) {
    g.beginPath(); // a drop
    g.moveTo(24, 8);
    g.bezierCurveTo(32, 20, 36, 26, 36, 30);
    g.arc(24, 30, 12, 0, Math.PI);
    g.bezierCurveTo(12, 26, 16, 20, 24, 8);
    g.fill();
  },
  streetlight(g) {
    g.beginPath(); // a bulb
    g.arc(24, 20, 10, Math.PI * 0.8, Math.PI * 2.2);
    g.lineTo(29, 32);
    g.lineTo(19, 32);
    g.closePath();
    g.fill();
    g.fillRect(19, 34, 10, 3);
    g.fillRect(20, 38, 8, 3);
  },
};

export function addIcons(map: MapInstance): void {
  for (const [kind, fn] of Object.entries(draw)) {
    const g = canvas();
    if (!g) return; // jsdom / no 2D canvas: circles alone still show the state
    g.fillStyle = '#ffffff';
    fn(g);
    // SDF so the layer can tint it: dark on the light (lamp on, filling) circles, white elsewhere.
    if (!map.hasImage(`icon-${kind}`)) map.addImage(`icon-${kind}`, g.getImageData(0, 0, SIZE, SIZE), { pixelRatio: 2, sdf: true });
  }
}
