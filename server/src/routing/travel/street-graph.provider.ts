import type { TravelSource } from '@sanitation/contracts';
import type { Logger } from '../../logging/logger.js';
import type { BasemapSource } from './basemap.source.js';
import { StraightLineProvider } from './straight-line.provider.js';
import { StreetRouter } from './street-router.js';
import { travelOptions, type TravelOptions } from './travel.defaults.js';
import type { LonLat, TravelMatrix, TravelTimeProvider } from './travel-time.provider.js';

/**
 * Travel over the city's street graph, built from the uploaded base map and rebuilt when the map is
 * replaced (its stamp is checked at most every GRAPH_CHECK_MS). With no base map, or one without
 * streets, it answers as the straight-line provider (and says so in `source`).
 */
export class StreetGraphProvider implements TravelTimeProvider {
  readonly options: TravelOptions;
  private readonly fallback: StraightLineProvider;
  private router: StreetRouter | null = null;
  private stamp: string | null | undefined = undefined;
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly basemaps: BasemapSource,
    overrides: Partial<TravelOptions> = {},
    private readonly logger?: Logger,
  ) {
    this.options = travelOptions(overrides);
    this.fallback = new StraightLineProvider(this.options);
  }

  get source(): TravelSource {
    return this.router ? 'street-graph' : 'straight-line';
  }

  /** Forget the last check: the next request looks at the base map again (e.g. right after a PUT). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  /** The current graph's router (null: no streets), rebuilt first when the base map changed. */
  async current(): Promise<StreetRouter | null> {
    if (performance.now() - this.checkedAt >= this.options.GRAPH_CHECK_MS) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    return this.router;
  }

  private async refresh(): Promise<void> {
    const stamp = await this.basemaps.stamp();
    this.checkedAt = performance.now();
    if (stamp === this.stamp) return;
    const basemap = stamp === null ? null : await this.basemaps.load();
    const started = performance.now();
    this.router = basemap ? StreetRouter.fromBasemap(basemap, this.options) : null;
    this.stamp = stamp;
    const g = this.router?.graph;
    this.logger?.info(
      { nodes: g?.nodeCount ?? 0, segments: g?.segCount ?? 0, ms: Math.round(performance.now() - started) },
      g ? 'street graph built from the base map' : 'no streets in the base map: straight-line travel estimates',
    );
  }

  async matrix(points: readonly LonLat[]): Promise<TravelMatrix> {
    const router = await this.current();
    return router ? router.matrixAsync(points) : this.fallback.matrix(points);
  }

  async path(from: LonLat, to: LonLat): Promise<[number, number][]> {
    const router = await this.current();
    return router ? router.path(from, to) : this.fallback.path(from, to);
  }
}
