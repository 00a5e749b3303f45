/**
 * The audible cue for critical alarms: a short two-tone beep through WebAudio. Browsers block
 * audio until the user has interacted with the page; then the context stays suspended and we
 * retry on the next gesture. Nothing here may throw: a silent wall screen beats a broken one.
 */
type AudioCtor = typeof AudioContext;

let ctx: AudioContext | null = null;
let pending = false;
let gestureHooked = false;

function audioCtor(): AudioCtor | null {
  const w = globalThis as unknown as { AudioContext?: AudioCtor; webkitAudioContext?: AudioCtor };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

function hookGesture(): void {
  if (gestureHooked || typeof window === 'undefined') return;
  gestureHooked = true;
  const unlock = () => {
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
    gestureHooked = false;
    void ctx?.resume().then(() => {
      if (pending) {
        pending = false;
        tone();
      }
    }, () => undefined);
  };
  window.addEventListener('pointerdown', unlock, { once: true });
  window.addEventListener('keydown', unlock, { once: true });
}

function tone(): void {
  if (!ctx) return;
  const t0 = ctx.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.18 + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + i * 0.18);
    osc.stop(t0 + i * 0.18 + 0.17);
  }
}

/** Plays the beep now, or as soon as the browser allows audio. Returns whether it played now. */
export function beep(): boolean {
  try {
    const Ctor = audioCtor();
    if (!Ctor) return false;
    ctx ??= new Ctor();
    if (ctx.state === 'suspended') {
      pending = true;
      hookGesture();
      void ctx.resume().catch(() => undefined);
      return false;
    }
    tone();
    return true;
  } catch {
    return false;
  }
}
