// Configuration is parsed once, at start-up, from the environment; a bad value stops the app with the variable's name.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

const brokerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'each broker must be host:port')).min(1, 'needs at least one broker'));

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Jakarta');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

/** Every variable the pipeline reads, with its default: the single source of truth for the README's configuration table. */
export const pipelineEnvSchema = z.object({
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_CLIENT_ID: z.string().default('fraudline'),
  ORDERS_TOPIC: z.string().min(1).default('orders'),
  /** Unset: `<ORDERS_TOPIC>.dlq`. */
  ORDERS_DLQ_TOPIC: z.string().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  WAREHOUSE: z.enum(['postgres', 'bigquery']).default('postgres'),
  WAREHOUSE_DATABASE_URL: postgresUrl.optional(),
  BIGQUERY_PROJECT: z.string().min(1).optional(),
  BIGQUERY_EMULATOR_HOST: z.url().optional(),
  BIGQUERY_LOCATION: z.string().optional(),
  BIGQUERY_DATASET_PREFIX: z.string().regex(/^\w*$/, 'letters, digits and underscores only').default(''),
  BUSINESS_TZ: timeZone.default('Asia/Jakarta'),
  RULESET: z.string().min(1).default('default'),
  SUBSCRIBER_GROUP: z.string().min(1).default('fraudline-subscriber'),
  FEATURE_REFRESH_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  READY_MAX_FAILING_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type PipelineEnv = z.output<typeof pipelineEnvSchema>;

/** Parses `env` with `schema`; empty strings count as unset so `.env` files can leave values blank. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(environment)', message: issue.message })));
}

export function loadPipelineEnv(env: NodeJS.ProcessEnv = process.env): PipelineEnv {
  const config = parseEnv(pipelineEnvSchema, env);
  if (config.WAREHOUSE === 'bigquery' && !config.BIGQUERY_PROJECT) {
    throw new ConfigError([{ variable: 'BIGQUERY_PROJECT', message: 'is required when WAREHOUSE=bigquery' }]);
  }
  return config;
}

/** Which adapters a configuration selects; printed first so nobody wonders what they are running on. */
export function describeAdapters(config: PipelineEnv): string {
  const log = config.KAFKA_BROKERS ? `Kafka ${config.KAFKA_BROKERS.join(',')}` : `file topic log in ${config.DATA_DIR}`;
  const oltp = config.DATABASE_URL ? `Postgres ${redactUrl(config.DATABASE_URL)}` : `PGlite in ${config.DATA_DIR}`;
  const warehouse =
    config.WAREHOUSE === 'bigquery'
      ? `BigQuery project ${config.BIGQUERY_PROJECT}${config.BIGQUERY_EMULATOR_HOST ? ` (emulator ${config.BIGQUERY_EMULATOR_HOST})` : ''}`
      : `Postgres schemas wh_* in ${config.WAREHOUSE_DATABASE_URL ? redactUrl(config.WAREHOUSE_DATABASE_URL) : 'the OLTP database'}`;
  return `adapters: event log = ${log}; OLTP = ${oltp}; warehouse = ${warehouse}`;
}

/** Hides the password of a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
