/**
 * The files beside a model that describe it, for every format (TF.js, ONNX, Keras): a card (`card.json`,
 * `model-card.json`, `*.card.json`) and a label list (`labels.txt` / `labels.json`, `classes.*`,
 * `class_names.*`). One reader, so every loader applies them the same way.
 */
import { parseCardJson, parseLabelsFile, type ModelCard } from './card';
import type { FileLike } from './load';

export const CARD_NAME = /^(card|model[-_.]?card)\.json$|\.card\.json$/i;
export const LABELS_NAME = /^(labels|classes|class[-_]names)\.(txt|json)$/i;

/** Whether `f` is a card or a labels file (not part of the model itself). */
export const isSidecar = (f: { name: string }): boolean => CARD_NAME.test(f.name) || LABELS_NAME.test(f.name);

/**
 * The card of a selection: card.json (if any), its labels completed from a labels file (ignored, with a
 * warning, when the card lists labels already), then `override` (fields from the UI) on top.
 * `prefer` picks among several candidates (e.g. the ones in the model's folder); default: the first.
 * @throws ModelError from parseCardJson / parseLabelsFile for malformed files (named in the message).
 */
export async function readSidecars(
  files: readonly FileLike[],
  override?: ModelCard,
  prefer: (f: FileLike) => boolean = () => true,
): Promise<{ card: ModelCard | undefined; warnings: string[] }> {
  const pick = (re: RegExp) => files.find((f) => re.test(f.name) && prefer(f)) ?? files.find((f) => re.test(f.name));
  const warnings: string[] = [];
  let card: ModelCard | undefined;
  const cardFile = pick(CARD_NAME);
  if (cardFile) {
    const r = parseCardJson(await cardFile.text(), cardFile.name);
    card = r.card;
    warnings.push(...r.warnings);
  }
  const labelsFile = pick(LABELS_NAME);
  if (labelsFile) {
    const labels = parseLabelsFile(await labelsFile.text(), labelsFile.name);
    if (card?.labels) warnings.push(`${labelsFile.name} was ignored: ${cardFile?.name ?? 'the card'} already lists the labels.`);
    else card = { ...card, labels };
  }
  if (override) card = { ...card, ...override };
  return { card, warnings };
}
