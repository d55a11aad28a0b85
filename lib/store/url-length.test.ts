import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, readView, writeView } from './url-state';

describe('URL state stays compact (no HTTP 431 from a link the app wrote)', () => {
  const huge = 'x'.repeat(40_000);

  it('a 40 KB value of an own key is refused on read (the default applies)', () => {
    const state = readView('explain', `model=${huge}`);
    expect(state.model).toBeNull();
  });

  it('foreign parameters are dropped, longest first, when the query would pass the limit; own keys stay', () => {
    const base = `utm=${'u'.repeat(100)}&junk=${huge}&other=${'o'.repeat(3000)}`;
    const q = writeView('explain', { model: 'mnist-cnn' }, base);
    expect(q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    const p = new URLSearchParams(q);
    expect(p.get('model')).toBe('mnist-cnn');
    expect(p.has('junk')).toBe(false);
    expect(p.get('utm')).toBe('u'.repeat(100)); // short foreign keys are kept
  });

  it('a small foreign parameter is kept as before', () => {
    expect(writeView('explain', { model: 'a' }, 'ref=x')).toBe('ref=x&model=a');
  });
});
