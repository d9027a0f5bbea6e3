import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeAdapters, kafkaSecurity, loadPipelineEnv, redactUrl } from './config.js';

/** The problems a configuration is refused for, as `VARIABLE: message` lines; none when it loads. */
function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadPipelineEnv(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.message}`).sort();
  }
}

describe('loadPipelineEnv', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const config = loadPipelineEnv({});
    expect(config).toMatchObject({ WAREHOUSE: 'postgres', BUSINESS_TZ: 'Asia/Jakarta', DATA_DIR: '.data', PORT: 9464, RULESET: 'default' });
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(describeAdapters(config)).toBe(
      'adapters: event log = file topic log in .data; OLTP = PGlite in .data; warehouse = Postgres schemas wh_* in the OLTP database',
    );
  });

  it('parses a broker list and names every bad variable', () => {
    expect(loadPipelineEnv({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    const problems = configProblems({ KAFKA_BROKERS: 'nohost', BUSINESS_TZ: 'Mars/Olympus', PORT: 'eighty', WAREHOUSE: 'snowflake' });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['BUSINESS_TZ', 'KAFKA_BROKERS.0', 'PORT', 'WAREHOUSE']);
    expect(problems[0]).toContain('BUSINESS_TZ: must be an IANA time zone');
  });

  it('requires a project for BigQuery and treats empty strings as unset', () => {
    expect(() => loadPipelineEnv({ WAREHOUSE: 'bigquery', BIGQUERY_PROJECT: '' })).toThrow('BIGQUERY_PROJECT: is required when WAREHOUSE=bigquery');
  });

  it('never prints a password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/fraud')).toBe('postgres://app:***@db:5432/fraud');
    expect(describeAdapters(loadPipelineEnv({ DATABASE_URL: 'postgres://app:s3cret@db/fraud' }))).not.toContain('s3cret');
  });

  it('binds the ops server to OPS_HOST, every address unless set', () => {
    expect(loadPipelineEnv({}).OPS_HOST).toBe('0.0.0.0');
    expect(loadPipelineEnv({ OPS_HOST: '127.0.0.1' }).OPS_HOST).toBe('127.0.0.1');
    expect(loadPipelineEnv({ OPS_HOST: '::' }).OPS_HOST).toBe('::');
    expect(loadPipelineEnv({ OPS_HOST: 'localhost' }).OPS_HOST).toBe('localhost');
    expect(configProblems({ OPS_HOST: 'every interface' })).toEqual(['OPS_HOST: must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name']);
  });
});

describe('Kafka TLS and SASL', () => {
  let dir: string;
  const pem = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    for (const name of ['ca.pem', 'client.pem', 'client.key', 'unreadable.pem', 'vanishing.key']) writeFileSync(pem(name), `-----BEGIN ${name}-----\n`);
    chmodSync(pem('unreadable.pem'), 0o000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is off unless asked for', () => {
    const config = loadPipelineEnv({ KAFKA_BROKERS: 'kafka:9092' });
    expect(config.KAFKA_SSL).toBe(false);
    expect(kafkaSecurity(config)).toEqual({});
    expect(describeAdapters(config)).toContain('event log = Kafka kafka:9092;');
  });

  it('turns TLS on with the system CAs, or with the PEM files given, read at start-up', () => {
    expect(kafkaSecurity(loadPipelineEnv({ KAFKA_SSL: 'true' }))).toEqual({ ssl: true });
    expect(kafkaSecurity(loadPipelineEnv({ KAFKA_SSL: 'false' }))).toEqual({});
    expect(kafkaSecurity(loadPipelineEnv({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pem('ca.pem') }))).toEqual({
      ssl: { ca: '-----BEGIN ca.pem-----\n', cert: undefined, key: undefined },
    });
    const mutual = loadPipelineEnv({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem('client.pem'), KAFKA_SSL_KEY_FILE: pem('client.key') });
    expect(kafkaSecurity(mutual).ssl).toMatchObject({ cert: '-----BEGIN client.pem-----\n', key: '-----BEGIN client.key-----\n' });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('authenticates with SASL %s', (mechanism) => {
    const config = loadPipelineEnv({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'fraudline', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(kafkaSecurity(config)).toEqual({ sasl: { mechanism, username: 'fraudline', password: 's3cret' } });
  });

  it('refuses a mechanism kafkajs does not offer, or a flag that is not true or false', () => {
    expect(configProblems({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual([
      'KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512',
    ]);
    expect(configProblems({ KAFKA_SSL: 'yes' })).toEqual(['KAFKA_SSL: must be true or false']);
  });

  it('names the other half of a pair that is set alone', () => {
    expect(configProblems({ KAFKA_SASL_USERNAME: 'fraudline' })).toEqual([
      'KAFKA_SASL_MECHANISM: is required with KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_USERNAME',
    ]);
    expect(configProblems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'fraudline', KAFKA_SASL_PASSWORD: '' })).toEqual([
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_MECHANISM and KAFKA_SASL_USERNAME',
    ]);
    expect(configProblems({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem('client.pem') })).toEqual(['KAFKA_SSL_KEY_FILE: is required with KAFKA_SSL_CERT_FILE']);
    expect(configProblems({ KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: pem('client.key') })).toEqual(['KAFKA_SSL_CERT_FILE: is required with KAFKA_SSL_KEY_FILE']);
    expect(configProblems({ KAFKA_SSL_CA_FILE: pem('ca.pem') })).toEqual(['KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true']);
  });

  it('names the variable of a file that is missing or unreadable', () => {
    expect(configProblems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pem('missing.pem') })).toEqual([
      `KAFKA_SSL_CA_FILE: no readable file at ${pem('missing.pem')}`,
    ]);
    expect(configProblems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: dir })).toEqual([`KAFKA_SSL_CA_FILE: no readable file at ${dir}`]);
    // root reads any file, so the permission case is checked only for other users.
    if (process.getuid?.() !== 0) {
      expect(configProblems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pem('unreadable.pem') })).toEqual([
        `KAFKA_SSL_CA_FILE: no readable file at ${pem('unreadable.pem')}`,
      ]);
    }
    // Gone between loading the configuration and creating the client: still the variable's name, not a stack trace.
    const config = loadPipelineEnv({ KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: pem('vanishing.key'), KAFKA_SSL_CERT_FILE: pem('client.pem') });
    rmSync(pem('vanishing.key'));
    expect(() => kafkaSecurity(config)).toThrow(/KAFKA_SSL_KEY_FILE: cannot read .*vanishing\.key: ENOENT/);
  });

  it('describes TLS and SASL without the password', () => {
    const config = loadPipelineEnv({
      KAFKA_BROKERS: 'kafka:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'fraudline',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(describeAdapters(config)).toContain('event log = Kafka kafka:9093 (TLS, SASL scram-sha-512 as fraudline);');
    expect(describeAdapters(config)).not.toContain('s3cret');
  });
});
