import { loadPipelineEnv } from './config.js';
import { describeFatalError, StartupError, startupStep } from './startup.js';

describe('start-up failures', () => {
  it('names the variable of an unreachable service in one line', async () => {
    const error = await startupStep('DATABASE_URL', 'cannot reach postgres://u:***@127.0.0.1:1/x', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect(describeFatalError('subscriber', error)).toBe(
      'subscriber: DATABASE_URL: cannot reach postgres://u:***@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('prints each bad variable on a line of its own, without a stack', () => {
    const error = (() => {
      try {
        return loadPipelineEnv({ DATABASE_POOL_SIZE: 'abc', PORT: '99999' });
      } catch (e) {
        return e;
      }
    })();
    const lines = describeFatalError('producer', error).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^producer: DATABASE_POOL_SIZE: /);
    expect(lines[1]).toMatch(/^producer: PORT: /);
  });

  it('keeps the stack of an error nobody expected', () => {
    expect(describeFatalError('batch-loader', new TypeError('x is undefined'))).toMatch(/^batch-loader: TypeError: x is undefined\n\s+at /);
  });
});
