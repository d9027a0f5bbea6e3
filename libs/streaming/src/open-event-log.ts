// Chooses the event log from configuration: Kafka when brokers are given, otherwise the file log under the data directory.
import { join } from 'node:path';
import type { EventLog } from './event-log.js';
import { FileLog } from './file-log.js';
import { KafkaLog } from './kafka-log.js';

export function openEventLog(options: { brokers?: string[]; clientId?: string; dataDir: string }): EventLog {
  return options.brokers?.length
    ? new KafkaLog({ brokers: options.brokers, clientId: options.clientId })
    : new FileLog({ dir: join(options.dataDir, 'topics') });
}
