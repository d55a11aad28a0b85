import { describe, expect, it } from 'vitest';
import { classesForNewHead, discoverClasses, labelledForNewHead } from '.';

// enough of a PNG for the format sniffer (signature + IHDR header)
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
  0, 0,
]);
const file = (path: string) => ({ path, bytes: PNG });

describe('classes of a new head', () => {
  it('are the folder names, sorted numeric-aware, with every image labelled', () => {
    const files = [file('set/cat10/a.png'), file('set/cat2/b.png'), file('set/Dog/c.png'), file('set/dog/d.png')];
    expect(discoverClasses(files)).toEqual(['cat2', 'cat10', 'Dog']);
    const { classes, set } = labelledForNewHead(files);
    expect(classes).toEqual(['cat2', 'cat10', 'Dog']);
    expect(set.items.map((i) => [i.path, i.label])).toEqual([
      ['set/cat10/a.png', 1],
      ['set/cat2/b.png', 0],
      ['set/Dog/c.png', 2],
      ['set/dog/d.png', 2],
    ]);
  });

  it('are the base model’s labels, in its order, when the folders name exactly its classes', () => {
    const files = [file('s/bag/a.png'), file('s/T-shirt_top/b.png'), file('s/Trouser/c.png')];
    const { classes, set } = labelledForNewHead(files, ['T-shirt/top', 'Trouser', 'Bag']);
    expect(classes).toEqual(['T-shirt/top', 'Trouser', 'Bag']);
    expect(set.items.map((i) => i.label)).toEqual([2, 0, 1]);
    expect(classesForNewHead(['bag', 'cat'], ['Bag', 'Trouser'])).toEqual(['bag', 'cat']);
    expect(classesForNewHead(['bag'], ['Bag', 'Trouser'])).toEqual(['bag']);
  });

  it('refuse fewer than two classes, in words', () => {
    expect(() => labelledForNewHead([])).toThrow(/No labelled image/);
    expect(() => labelledForNewHead([file('only/a.png'), file('only/b.png')])).toThrow(/Only one class/);
  });
});
