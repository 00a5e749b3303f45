import type { CellFeature } from './aggregate-grid';
import { SEVERITY_COLOURS, STATE_COLOURS } from './asset-state';

/**
 * The city-zoom aggregate drawn by a custom WebGL layer: one round point sprite per cell from a
 * Float32Array, uploaded straight to the GPU when the cells change. A GeoJSON source would send
 * every change through the worker and re-tile it (two round trips and several repaints per
 * push); here a push costs one buffer upload and exactly one repaint — what lets the map take a
 * stream of updates in software WebGL.
 */

/** Share of an area's assets needing attention from which its circle turns yellow, orange, red. */
export const CELL_SHARE_STEPS = [0.06, 0.12, 0.25] as const;
/** Circle radius (CSS px) by √count, piecewise linear. */
const RADIUS_STOPS: readonly [number, number][] = [
  [1, 3],
  [4, 6],
  [10, 9],
  [20, 13],
  [40, 18],
];

export function cellRadius(count: number): number {
  const x = Math.sqrt(count);
  if (x <= RADIUS_STOPS[0]![0]) return RADIUS_STOPS[0]![1];
  for (let i = 1; i < RADIUS_STOPS.length; i++) {
    const [x1, y1] = RADIUS_STOPS[i]!;
    const [x0, y0] = RADIUS_STOPS[i - 1]!;
    if (x <= x1) return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return RADIUS_STOPS.at(-1)![1];
}

/** Colour = share needing attention; grey when nothing in the cell is online. */
export function cellColour(worst: number, problemShare: number): string {
  if (worst < 0) return STATE_COLOURS.offline;
  const step = CELL_SHARE_STEPS.findIndex((s) => problemShare < s);
  return SEVERITY_COLOURS[step === -1 ? 3 : step]!;
}

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];

const mercX = (lon: number) => (180 + lon) / 360;
const mercY = (lat: number) => (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;

const FLOATS = 6; // x, y, size, r, g, b

const VS = `
attribute vec2 a_pos;
attribute float a_size;
attribute vec3 a_color;
uniform mat4 u_matrix;
uniform float u_dpr;
varying vec3 v_color;
varying float v_size;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  v_size = a_size * u_dpr;
  gl_PointSize = v_size;
  v_color = a_color;
}`;
const FS = `
precision mediump float;
varying vec3 v_color;
varying float v_size;
void main() {
  float d = length(gl_PointCoord * 2.0 - 1.0);
  float aa = 2.0 / v_size;
  float alpha = 1.0 - smoothstep(1.0 - aa, 1.0, d);
  if (alpha <= 0.0) discard;
  float edge = 1.0 - 3.0 / v_size;
  vec3 c = mix(v_color, vec3(0.055, 0.086, 0.125), smoothstep(edge - aa, edge, d) * 0.7);
  gl_FragColor = vec4(c, 1.0) * alpha * 0.9;
}`;

interface GlMap {
  triggerRepaint(): void;
}

export class CellGlLayer {
  readonly id: string;
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  private map: GlMap | null = null;
  private program: WebGLProgram | null = null;
  private buffer: WebGLBuffer | null = null;
  private data = new Float32Array(0);
  private count = 0;
  private dirty = false;
  private cells: readonly CellFeature[] = [];
  private seq = 0;
  /** Sequence number of the data the last drawn frame showed. */
  drawnSeq = 0;
  uploadPending = false;

  constructor(id: string) {
    this.id = id;
  }

  /** New cell collection (rebuilt into the vertex array now, uploaded on the next frame). */
  setCells(cells: readonly CellFeature[], seq: number): void {
    this.cells = cells;
    if (this.data.length < cells.length * FLOATS) this.data = new Float32Array(Math.ceil(cells.length * 1.5) * FLOATS);
    let o = 0;
    for (const f of cells) {
      const p = f.properties;
      const [r, g, b] = rgb(cellColour(p.worst, p.problemShare));
      this.data[o++] = mercX(f.geometry.coordinates[0]);
      this.data[o++] = mercY(f.geometry.coordinates[1]);
      this.data[o++] = cellRadius(p.count) * 2;
      this.data[o++] = r;
      this.data[o++] = g;
      this.data[o++] = b;
    }
    this.count = cells.length;
    this.seq = seq;
    this.dirty = true;
    this.uploadPending = true;
    this.map?.triggerRepaint();
  }

  /** The cell under a screen point, given a projection (for clicks: custom layers are not queryable). */
  hit(x: number, y: number, project: (lon: number, lat: number) => [number, number]): CellFeature | null {
    let best: CellFeature | null = null;
    let bestD = Infinity;
    for (const f of this.cells) {
      const [px, py] = project(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      const d = Math.hypot(px - x, py - y);
      if (d <= cellRadius(f.properties.count) + 4 && d < bestD) {
        best = f;
        bestD = d;
      }
    }
    return best;
  }

  onAdd(map: GlMap, gl: WebGLRenderingContext): void {
    this.map = map;
    const shader = (type: number, src: string) => {
      const s = gl.createShader(type)!;
      gl.shaderSource(s, src);
      gl.compileShader(s);
      return s;
    };
    const program = gl.createProgram()!;
    gl.attachShader(program, shader(gl.VERTEX_SHADER, VS));
    gl.attachShader(program, shader(gl.FRAGMENT_SHADER, FS));
    gl.linkProgram(program);
    this.program = program;
    this.buffer = gl.createBuffer();
    this.dirty = true;
  }

  onRemove(_map: GlMap, gl: WebGLRenderingContext): void {
    if (this.buffer) gl.deleteBuffer(this.buffer);
    if (this.program) gl.deleteProgram(this.program);
    this.map = null;
  }

  render(gl: WebGLRenderingContext, arg: unknown): void {
    if (!this.program || !this.buffer) return;
    // maplibre ≥ 5 passes an object (mainMatrix maps mercator 0..1 to clip space); mapbox-gl passes the matrix itself.
    const a = arg as { modelViewProjectionMatrix?: ArrayLike<number>; defaultProjectionData?: { mainMatrix: ArrayLike<number> } };
    const matrix = (ArrayBuffer.isView(arg) || Array.isArray(arg) ? arg : (a.defaultProjectionData?.mainMatrix ?? a.modelViewProjectionMatrix)) as ArrayLike<number>;
    gl.useProgram(this.program);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    if (this.dirty) {
      gl.bufferData(gl.ARRAY_BUFFER, this.data.subarray(0, this.count * FLOATS), gl.DYNAMIC_DRAW);
      this.dirty = false;
    }
    if (this.uploadPending) {
      this.drawnSeq = this.seq;
      this.uploadPending = false;
    }
    if (this.count === 0) return;
    const stride = FLOATS * 4;
    const pos = gl.getAttribLocation(this.program, 'a_pos');
    const size = gl.getAttribLocation(this.program, 'a_size');
    const color = gl.getAttribLocation(this.program, 'a_color');
    gl.enableVertexAttribArray(pos);
    gl.vertexAttribPointer(pos, 2, gl.FLOAT, false, stride, 0);
    gl.enableVertexAttribArray(size);
    gl.vertexAttribPointer(size, 1, gl.FLOAT, false, stride, 8);
    gl.enableVertexAttribArray(color);
    gl.vertexAttribPointer(color, 3, gl.FLOAT, false, stride, 12);
    gl.uniformMatrix4fv(gl.getUniformLocation(this.program, 'u_matrix'), false, matrix as Float32List);
    gl.uniform1f(gl.getUniformLocation(this.program, 'u_dpr'), window.devicePixelRatio || 1);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawArrays(gl.POINTS, 0, this.count);
    gl.disableVertexAttribArray(pos);
    gl.disableVertexAttribArray(size);
    gl.disableVertexAttribArray(color);
  }
}
