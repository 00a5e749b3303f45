/** Placeholder until the map feature lands. */
export function MapView() {
  return <div class="map-view" data-testid="map" />;
}
