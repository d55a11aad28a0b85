/** Checkpoint timeline: the checkpoints file of a fine-tuning run, checkpoint models, the accuracy chart (no tfjs). */
export * from './checkpoints';
export * from './series';
