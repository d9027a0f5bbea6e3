// Chooses the event log from configuration: Kafka when brokers are given, otherwise the file log under the data directory.
import { join } from 'node:path';
import type { EventLog } from './event-log.js';
import { FileLog } from './file-log.js';
import { KafkaLog, type KafkaLogOptions } from './kafka-log.js';

/** `kafka` carries the brokers' TLS and SASL settings; the file log ignores it. */
export function openEventLog(options: { brokers?: string[]; clientId?: string; dataDir: string; kafka?: Pick<KafkaLogOptions, 'ssl' | 'sasl'> }): EventLog {
  return options.brokers?.length
    ? new KafkaLog({ ...options.kafka, brokers: options.brokers, clientId: options.clientId })
    : new FileLog({ dir: join(options.dataDir, 'topics') });
}
