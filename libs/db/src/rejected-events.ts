// A message that cannot be used becomes a row of raw.rejected_events holding its bytes as received and the reason, whatever topic or file it came from.
import { storableText } from '@fraudline/events';
import type { RejectedEvent } from './order-store.js';

/** Where a message came from and its bytes: a Kafka record, a line of the file topic log, a row of an imported CSV. */
export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
}

/** Message keys are stored as text, which cannot hold U+0000; like undecodable bytes, it becomes U+FFFD. */
export const storableKey = (key: string | null) => (key === null ? null : storableText(key));

/** The rejected-events row for a message: its text when it is valid UTF-8 a text column can hold, else base64. */
export function rejectedEvent(message: ReceivedMessage, kind: string, error: { field: string; message: string }[]): RejectedEvent {
  const text = message.value?.toString('utf8') ?? '';
  const isText = message.value !== null && !text.includes('\0') && Buffer.from(text, 'utf8').equals(message.value);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    message_key: storableKey(message.key),
    payload: isText ? text : (message.value?.toString('base64') ?? ''),
    payload_encoding: isText ? 'utf8' : 'base64',
    error_kind: kind,
    error,
  };
}
