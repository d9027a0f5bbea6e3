// Structured logs, one JSON event a line, with secrets redacted.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Secrets a log event may carry: passwords (the Kafka SASL one too, under kafkajs's `sasl` option), URLs with one, TLS keys. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.sasl.password',
  'KAFKA_SASL_PASSWORD',
  '*.KAFKA_SASL_PASSWORD',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'connectionString',
  'ssl.key',
  '*.ssl.key',
];

/** Logs to stdout unless given `destination` (tests read what would be written). */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
