import type { Vehicle } from '@sanitation/contracts';
import { useEffect, useState } from 'preact/hooks';
import { locale, useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { trail } from '../../state/trail';
import { errorText } from '../../app/panel-hooks';
import { cityDateString, cityTimeZone, formatCityTime, serverNow } from '../../app/server-time';
import { loadVehicles } from './asset.api';
import { dayReplay, recentTrail, REPLAY_MS_PER_SECOND, REPLAY_TICK_MS, seekReplay, stepReplay, vehicleOf } from './trail-replay';

/** Trail of the last hours, or a replay of one day with play/pause and a scrubber. The map draws it. */
export function TruckTrail({ deviceId }: { deviceId: string }) {
  const t = useT('asset');
  const lng = useStore(locale);
  const current = useStore(trail);
  const [vehicle, setVehicle] = useState<Vehicle | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [date, setDate] = useState(() => cityDateString(serverNow(), cityTimeZone()));
  const [playing, setPlaying] = useState(false);
  const mine = current && current.deviceId === deviceId ? current : null;

  useEffect(() => {
    let alive = true;
    setVehicle(undefined);
    loadVehicles()
      .then((vs) => alive && setVehicle(vehicleOf(vs, deviceId)))
      .catch((err: unknown) => {
        if (!alive) return;
        setVehicle(null);
        setError(errorText(err));
      });
    return () => {
      alive = false;
    };
  }, [deviceId]);

  // The trail belongs to this panel: leaving the truck clears it.
  useEffect(() => () => {
    if (trail.get()?.deviceId === deviceId) trail.set(null);
  }, [deviceId]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const req = trail.get();
      if (!req || req.replayAt === null) return setPlaying(false);
      const { next, ended } = stepReplay(req, (REPLAY_MS_PER_SECOND * REPLAY_TICK_MS) / 1000);
      trail.set(next);
      if (ended) setPlaying(false);
    }, REPLAY_TICK_MS);
    return () => clearInterval(timer);
  }, [playing]);

  const startReplay = (d: string) => {
    setDate(d);
    if (!vehicle) return;
    const req = dayReplay(vehicle, d, cityTimeZone());
    if (req) trail.set(req);
    setPlaying(false);
  };

  const tz = cityTimeZone();
  return (
    <section class="asset-section">
      <h4>{t('trail')}</h4>
      {vehicle === null && !error && <div class="muted small">{t('noVehicle')}</div>}
      {error && <div class="panel-error">{error}</div>}
      <div class="trail-controls">
        <button
          type="button"
          data-testid="trail-show"
          disabled={!vehicle}
          class={mine && mine.replayAt === null ? 'active' : ''}
          onClick={() => {
            setPlaying(false);
            if (vehicle) trail.set(recentTrail(vehicle, serverNow()));
          }}
        >
          {t('trailRecent')}
        </button>
        <label class="small">
          {t('replayDay')}{' '}
          <input type="date" data-testid="trail-replay-date" disabled={!vehicle} value={date} onChange={(e) => startReplay((e.target as HTMLInputElement).value)} />
        </label>
        {mine && (
          <button type="button" data-testid="trail-hide" onClick={() => (setPlaying(false), trail.set(null))}>
            {t('trailHide')}
          </button>
        )}
      </div>
      {mine && mine.replayAt !== null && (
        <div class="trail-replay">
          <button type="button" data-testid="trail-replay-play" onClick={() => setPlaying(!playing)}>
            {playing ? t('pause') : t('play')}
          </button>
          <input
            type="range"
            data-testid="trail-replay-slider"
            min={mine.from}
            max={mine.to}
            step={60_000}
            value={mine.replayAt}
            onInput={(e) => trail.set(seekReplay(mine, Number((e.target as HTMLInputElement).value)))}
          />
          <span class="small" data-testid="trail-replay-time">
            {formatCityTime(mine.replayAt, mine.from, tz, lng)}
          </span>
        </div>
      )}
    </section>
  );
}
