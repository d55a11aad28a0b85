'use client';

import { useCallback, useRef, useState } from 'react';
import { downloadModelFiles, modelNameFromUrl, checkModelUrl } from '@/lib/models';

/**
 * A model download by URL on the page (timeout, byte limit, progress: lib/models/url-download) with a
 * Cancel. `start` resolves to the files and a default name, or null when cancelled; it rejects with the
 * plain message of a failed download.
 */
export function useUrlDownload() {
  const ctrl = useRef<AbortController | null>(null);
  const [state, setState] = useState<{ fraction: number; bytes: number } | null>(null);
  const start = useCallback(async (raw: string): Promise<{ files: File[]; name: string | undefined } | null> => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setState({ fraction: 0, bytes: 0 });
    try {
      const files = await downloadModelFiles(raw, {
        signal: c.signal,
        onProgress: (fraction, bytes) => {
          if (ctrl.current === c) setState({ fraction, bytes });
        },
      });
      return { files, name: modelNameFromUrl(checkModelUrl(raw)) };
    } catch (e) {
      if (c.signal.aborted) return null;
      throw e;
    } finally {
      if (ctrl.current === c) {
        ctrl.current = null;
        setState(null);
      }
    }
  }, []);
  const cancel = useCallback(() => ctrl.current?.abort(), []);
  return { start, cancel, active: state !== null, fraction: state?.fraction ?? 0, bytes: state?.bytes ?? 0 };
}
