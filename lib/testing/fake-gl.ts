/**
 * A fake WebGL context for the context-loss tests (lib/runtime/context-loss*.test.ts): `lose()` marks it
 * lost and fires its `onLost` listeners, as the canvas's `webglcontextlost` event does; `renew()` makes it
 * usable again. No tfjs, no DOM.
 */
import type { GLTarget } from '@/lib/runtime/context-loss';

export function fakeGLContext() {
  let lost = false;
  const listeners = new Set<() => void>();
  const target: GLTarget = {
    isLost: () => lost,
    onLost(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return {
    target,
    listeners,
    lose() {
      lost = true;
      for (const cb of [...listeners]) cb();
    },
    renew: () => void (lost = false),
  };
}
