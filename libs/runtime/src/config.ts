// Configuration is parsed once, at start-up, from the environment; a bad value stops the app with the variable's name.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
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

const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

/** A file read at start-up (certificates, keys): it must exist and be readable when the configuration is loaded. */
const readableFile = z.string().superRefine((path, context) => {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    accessSync(path, constants.R_OK);
  } catch {
    context.addIssue({ code: 'custom', message: `no readable file at ${path}` });
  }
});

const listenHost = z
  .string()
  .refine(
    (host) => isIP(host) !== 0 || /^[a-z\d]([a-z\d-]*[a-z\d])?(\.[a-z\d]([a-z\d-]*[a-z\d])?)*$/i.test(host),
    'must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name',
  );

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** Every variable the pipeline reads, with its default: the single source of truth for the README's configuration table. */
export const pipelineEnvSchema = z.object({
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_CLIENT_ID: z.string().default('fraudline'),
  /** TLS to the brokers; the files below are PEM and need it. */
  KAFKA_SSL: booleanFlag.default(false),
  /** Unset: the system's certificate authorities. */
  KAFKA_SSL_CA_FILE: readableFile.optional(),
  /** Client certificate and its key, for brokers that authenticate clients by TLS; set both or neither. */
  KAFKA_SSL_CERT_FILE: readableFile.optional(),
  KAFKA_SSL_KEY_FILE: readableFile.optional(),
  /** SASL authentication: mechanism, username and password are set together or not at all. */
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` }).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  ORDERS_TOPIC: z.string().min(1).default('orders'),
  /** Unset: `<ORDERS_TOPIC>.dlq`. */
  ORDERS_DLQ_TOPIC: z.string().min(1).optional(),
  /** Chargebacks, refunds and verdicts; `OUTCOMES_TOPIC=off` runs the subscriber without consuming them. */
  OUTCOMES_TOPIC: z.string().min(1).default('order-outcomes'),
  /** Unset: `<SUBSCRIBER_GROUP>-outcomes`. */
  OUTCOMES_GROUP: z.string().min(1).optional(),
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
  /** Address the ops server (/healthz, /readyz, /metrics) listens on; 127.0.0.1 keeps it off the network. */
  OPS_HOST: listenHost.default('0.0.0.0'),
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
  const problems = [...kafkaSecurityProblems(config)];
  if (config.WAREHOUSE === 'bigquery' && !config.BIGQUERY_PROJECT) {
    problems.push({ variable: 'BIGQUERY_PROJECT', message: 'is required when WAREHOUSE=bigquery' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;
const TLS_FILE_VARIABLES = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;

/** The Kafka variables that only make sense together: TLS files need KAFKA_SSL, a certificate needs its key, SASL needs all three. */
function kafkaSecurityProblems(config: PipelineEnv): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  for (const variable of TLS_FILE_VARIABLES) {
    if (config[variable] && !config.KAFKA_SSL) problems.push({ variable, message: 'needs KAFKA_SSL=true' });
  }
  const [cert, key] = [config.KAFKA_SSL_CERT_FILE, config.KAFKA_SSL_KEY_FILE];
  if (cert && !key) problems.push({ variable: 'KAFKA_SSL_KEY_FILE', message: 'is required with KAFKA_SSL_CERT_FILE' });
  if (key && !cert) problems.push({ variable: 'KAFKA_SSL_CERT_FILE', message: 'is required with KAFKA_SSL_KEY_FILE' });
  const setSasl = SASL_VARIABLES.filter((variable) => config[variable] !== undefined);
  if (setSasl.length > 0) {
    for (const variable of SASL_VARIABLES) {
      if (!setSasl.includes(variable)) problems.push({ variable, message: `is required with ${setSasl.join(' and ')}` });
    }
  }
  return problems;
}

/** TLS and SASL options for kafkajs (`new Kafka({ ssl, sasl })`); certificate files are read here, once, at start-up. */
export interface KafkaSecurity {
  ssl?: true | { ca?: string; cert?: string; key?: string };
  /** One object type per mechanism, as kafkajs declares them. */
  sasl?: { [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string } }[KafkaSaslMechanism];
}

export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export function kafkaSecurity(config: PipelineEnv): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) {
    const read = (variable: (typeof TLS_FILE_VARIABLES)[number]) => {
      const path = config[variable];
      return path === undefined ? undefined : readStartupFile(variable, path);
    };
    const files = { ca: read('KAFKA_SSL_CA_FILE'), cert: read('KAFKA_SSL_CERT_FILE'), key: read('KAFKA_SSL_KEY_FILE') };
    security.ssl = Object.values(files).some((pem) => pem !== undefined) ? files : true;
  }
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (mechanism && username !== undefined && password !== undefined) security.sasl = { mechanism, username, password };
  return security;
}

function readStartupFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ variable, message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
}

/** Which adapters a configuration selects; printed first so nobody wonders what they are running on. */
export function describeAdapters(config: PipelineEnv): string {
  const log = config.KAFKA_BROKERS ? `Kafka ${config.KAFKA_BROKERS.join(',')}${describeKafkaSecurity(config)}` : `file topic log in ${config.DATA_DIR}`;
  const oltp = config.DATABASE_URL ? `Postgres ${redactUrl(config.DATABASE_URL)}` : `PGlite in ${config.DATA_DIR}`;
  const warehouse =
    config.WAREHOUSE === 'bigquery'
      ? `BigQuery project ${config.BIGQUERY_PROJECT}${config.BIGQUERY_EMULATOR_HOST ? ` (emulator ${config.BIGQUERY_EMULATOR_HOST})` : ''}`
      : `Postgres schemas wh_* in ${config.WAREHOUSE_DATABASE_URL ? redactUrl(config.WAREHOUSE_DATABASE_URL) : 'the OLTP database'}`;
  return `adapters: event log = ${log}; OLTP = ${oltp}; warehouse = ${warehouse}`;
}

/** TLS and SASL as they can be logged: the mechanism and user, never the password. */
function describeKafkaSecurity(config: PipelineEnv): string {
  const parts = [
    config.KAFKA_SSL ? `TLS${config.KAFKA_SSL_CERT_FILE ? ' with a client certificate' : ''}` : undefined,
    config.KAFKA_SASL_MECHANISM ? `SASL ${config.KAFKA_SASL_MECHANISM} as ${config.KAFKA_SASL_USERNAME}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
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
