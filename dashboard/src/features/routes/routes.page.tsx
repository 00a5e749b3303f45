import { AssetPanel } from '../asset/asset.panel';
import { MapView } from '../map/map-view';
import { selection } from '../../state/selection';
import { useStore } from '../../state/store';
import { RoutesPanel } from './routes.panel';

/** `#/routes`: the city map with the plan's routes drawn on it, and the planner beside it. */
export function RoutesPage({ canDispatch }: { canDispatch: boolean }) {
  const selected = useStore(selection);
  return (
    <div class="ops routes-page">
      <section class="ops-map">
        <MapView />
        {selected && <AssetPanel selection={selected} canDispatch={canDispatch} />}
      </section>
      <aside class="ops-side routes-side">
        <RoutesPanel canDispatch={canDispatch} />
      </aside>
    </div>
  );
}
