import { describe, expect, it } from 'vitest';
import { conversionNotes, inputRangeNotes, oodReport } from './report';
import type { InputStats } from './features';
import type { OodScore } from './reference';

const grey28 = { width: 28, height: 28, channels: 1 as const, policy: 'stretch' as const };

describe('conversionNotes', () => {
  it('a 4:3 colour photo on a grey square model: greyed and stretched', () => {
    const notes = conversionNotes({ width: 640, height: 480, colour: 40 }, grey28);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/colour image was converted to grey/);
    expect(notes[1]).toBe(
      'It was stretched from 640×480 (1.33:1) to the model’s 28×28 (1:1), so shapes are distorted.',
    );
  });

  it('nothing to say for a grey square image; cropped and padded say how much is lost or added', () => {
    expect(conversionNotes({ width: 28, height: 28, colour: 0 }, grey28)).toEqual([]);
    // a grey JPEG's few colourful pixels are below the colour threshold
    expect(conversionNotes({ width: 100, height: 100, colour: 3 }, grey28)).toEqual([]);
    expect(conversionNotes({ width: 200, height: 100, colour: 0 }, { ...grey28, policy: 'center-crop' })).toEqual([
      'Its sides were cropped to fit 28×28: 50 % of it is not seen.',
    ]);
    expect(conversionNotes({ width: 100, height: 200, colour: 0 }, { ...grey28, policy: 'pad' })).toEqual([
      'It was padded to fit 28×28: 50 % of what the model sees is padding.',
    ]);
    // a colour model keeps colour
    expect(conversionNotes({ width: 28, height: 28, colour: 60 }, { ...grey28, channels: 3 })).toEqual([]);
  });

  it('a small image enlarged for a large model', () => {
    const notes = conversionNotes({ width: 50, height: 50, colour: 0 }, { ...grey28, width: 224, height: 224 });
    expect(notes).toEqual([
      'It was enlarged from 50×50 to 224×224, so it is blurrier than the images a model of this size is usually given.',
    ]);
  });
});

describe('inputRangeNotes', () => {
  const stats = (p: Partial<InputStats>): InputStats => ({
    mean: 0.5,
    std: 0.2,
    dark: 0.1,
    bright: 0.1,
    edge: 0.5,
    channelMeans: [0.5],
    histogram: new Float32Array(16),
    thumb: new Float32Array(64),
    ...p,
  });
  it('says when the input is uniform or nearly all pure black/white', () => {
    expect(inputRangeNotes(stats({}))).toEqual([]);
    expect(inputRangeNotes(stats({ std: 0.001 }))[0]).toMatch(/almost uniform \(contrast 0\.001\)/);
    expect(inputRangeNotes(stats({ dark: 0.9, bright: 0.08 }))).toEqual([
      '98 % of what the model sees is pure black or white.',
    ]);
  });
});

describe('oodReport', () => {
  const set = { id: 'mnist-test-2k', name: 'MNIST', n: 2000 };
  const finding = (text: string, distance: number) => ({ id: 'mean' as const, value: 0, lo: 0, hi: 0, distance, text });
  it('out: the headline names the reasons, farthest first, at most three', () => {
    const score: OodScore = {
      score: 9,
      threshold: 0.8,
      out: true,
      findings: [finding('a', 9), finding('b', -5), finding('c', 2), finding('d', 1)],
    };
    const r = oodReport(score, set, ['note']);
    expect(r.status).toBe('out');
    expect(r.sentence).toBe(
      'This image is unlike the images this model was evaluated on: a, b and c; its prediction may mean little.',
    );
    expect(r.notes).toEqual(['note']);
  });

  it('in: within the range of the set; no set: says what the check needs', () => {
    const r = oodReport({ score: 0.2, threshold: 0.8, out: false, findings: [] }, set, []);
    expect(r.status).toBe('in');
    expect(r.sentence).toMatch(/within the range of the 2,000 images/);
    const none = oodReport(null, null, ['greyed']);
    expect(none.status).toBe('no-set');
    expect(none.sentence).toMatch(/needs a labelled set/);
    expect(none.notes).toEqual(['greyed']);
  });
});
