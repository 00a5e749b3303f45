import type { Selection } from '../../state/selection';
/** Placeholder until the asset panel lands. */
export function AssetPanel({ selection }: { selection: Selection; canDispatch: boolean }) {
  return <div data-testid="asset-panel">{selection.id}</div>;
}
