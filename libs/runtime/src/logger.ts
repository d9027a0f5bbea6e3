// Structured logs, one JSON event a line, with secrets redacted.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: { paths: ['password', '*.password', 'DATABASE_URL', '*.DATABASE_URL', 'connectionString'], censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
