import { ConfigError, describeAdapters, loadPipelineEnv, redactUrl } from './config.js';

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
    const error = (() => {
      try {
        loadPipelineEnv({ KAFKA_BROKERS: 'nohost', BUSINESS_TZ: 'Mars/Olympus', PORT: 'eighty', WAREHOUSE: 'snowflake' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['BUSINESS_TZ', 'KAFKA_BROKERS.0', 'PORT', 'WAREHOUSE']);
    expect(error.message).toContain('BUSINESS_TZ: must be an IANA time zone');
  });

  it('requires a project for BigQuery and treats empty strings as unset', () => {
    expect(() => loadPipelineEnv({ WAREHOUSE: 'bigquery', BIGQUERY_PROJECT: '' })).toThrow('BIGQUERY_PROJECT: is required when WAREHOUSE=bigquery');
  });

  it('never prints a password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/fraud')).toBe('postgres://app:***@db:5432/fraud');
    expect(describeAdapters(loadPipelineEnv({ DATABASE_URL: 'postgres://app:s3cret@db/fraud' }))).not.toContain('s3cret');
  });
});
