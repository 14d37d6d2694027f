/** Thrown by training that was cancelled through an AbortSignal or shouldCancel(). */
export class TrainingCancelledError extends Error {
  readonly treesDone: number;
  readonly treesTotal: number;

  constructor(treesDone: number, treesTotal: number) {
    super(`Training was cancelled after ${treesDone} of ${treesTotal} trees.`);
    this.name = 'TrainingCancelledError';
    this.treesDone = treesDone;
    this.treesTotal = treesTotal;
  }
}
