// The transform step of a batch job: run the models, and only when the run passed, publish the risk list it built.
import { publishRiskList, RISK_LIST_MART, type RiskListWriter, type SqlSession } from './publish-risk-list.js';
import { runModels, type RunOptions, type RunResult } from './runner.js';

/** Thrown when a run fails (a model failed or a blocking data test failed); nothing was published. */
export class TransformRunFailedError extends Error {
  override readonly name = 'TransformRunFailedError';
  constructor(readonly result: RunResult) {
    const models = result.models.filter((model) => model.status === 'error').map((model) => `${model.name} (${model.error})`);
    const tests = result.tests.filter((test) => test.severity === 'error' && (test.status === 'fail' || test.status === 'error'));
    super(
      `transform run ${result.runId} failed: ` +
        [
          models.length > 0 ? `models ${models.join(', ')}` : '',
          tests.length > 0 ? `tests ${tests.map((test) => `${test.name} (${test.failingRows} rows)`).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
    );
  }
}

export interface RunAndPublishOptions extends RunOptions {
  /** Replaces the OLTP risk list (e.g. `@fraudline/db`'s replaceRiskList), or one pg-style connection to write it through. */
  writeRiskList: RiskListWriter | SqlSession;
  publishedAt?: Date;
}

export interface RunAndPublishResult {
  runId: string;
  /** Models built. */
  models: number;
  /** Data tests that passed. */
  tests: number;
  /** Non-blocking (`warn`) tests that found rows; blocking failures throw instead. */
  failedTests: number;
  /** Users written to the risk list; 0 when the run did not build mart_label_risk_list. */
  riskListUsers: number;
  run: RunResult;
}

/** Runs the models; throws `TransformRunFailedError` when the run failed, otherwise publishes the risk list if this run built it. */
export async function runAndPublish(options: RunAndPublishOptions): Promise<RunAndPublishResult> {
  const { writeRiskList, publishedAt, ...runOptions } = options;
  const run = await runModels(runOptions);
  if (run.status === 'failed') throw new TransformRunFailedError(run);
  const builtMart = run.models.some((model) => model.name === RISK_LIST_MART && model.status === 'success');
  const riskListUsers = builtMart ? (await publishRiskList({ warehouse: options.warehouse, oltp: writeRiskList, publishedAt })).published : 0;
  return {
    runId: run.runId,
    models: run.models.filter((model) => model.status === 'success').length,
    tests: run.tests.filter((test) => test.status === 'pass').length,
    failedTests: run.tests.filter((test) => test.status === 'warn').length,
    riskListUsers,
    run,
  };
}
