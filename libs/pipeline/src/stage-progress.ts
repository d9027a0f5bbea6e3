// How the main job reports progress: a stage starts, counts up, and ends with a one-line summary and its duration.

export interface StageHandle {
  setTotal(total: number): void;
  update(done: number): void;
  finish(summary: string): void;
}

export interface ProgressReporter {
  stage(name: string, total?: number): StageHandle;
}
