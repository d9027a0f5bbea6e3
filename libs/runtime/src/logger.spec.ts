import { Writable } from 'node:stream';
import { kafkaSecurity, loadPipelineEnv } from './config.js';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('never writes a password or key, wherever it sits in the event', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'test',
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const env = loadPipelineEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'fraudline', KAFKA_SASL_PASSWORD: 's3cret' });
    logger.info({ env, kafka: kafkaSecurity(env), sasl: { password: 's3cret' }, DATABASE_URL: 'postgres://a:s3cret@db/x' }, 'configured');
    logger.info({ kafka: { ssl: { key: 'PRIVATE KEY' } } }, 'tls');
    const written = lines.join('');
    expect(written).toContain('"username":"fraudline"');
    expect(written).not.toContain('s3cret');
    expect(written).not.toContain('PRIVATE KEY');
  });
});
