import { describe, expect, it } from 'vitest';
import { nextTick } from './common';

describe('nextTick', () => {
  it('yields to the event loop: a message posted before it (like a cancel request) is handled first', async () => {
    const channel = new MessageChannel();
    let handled = false;
    channel.port1.onmessage = () => {
      handled = true;
      channel.port1.close();
    };
    channel.port2.postMessage('cancel');
    await Promise.resolve(); // a microtask alone does not let it through
    expect(handled).toBe(false);
    await nextTick();
    expect(handled).toBe(true);
  });
});
