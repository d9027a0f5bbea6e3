// A message that cannot be used becomes a row of raw.rejected_events holding its bytes as received and the reason, whatever topic it came from.
import type { RejectedEvent } from '@fraudline/db';
import { storableText } from '@fraudline/events';
import type { LogMessage } from '@fraudline/streaming';

/** Message keys are stored as text, which cannot hold U+0000; like undecodable bytes, it becomes U+FFFD. */
export const storableKey = (key: string | null) => (key === null ? null : storableText(key));

/** The rejected-events row for a message: its text when it is valid UTF-8 a text column can hold, else base64. */
export function rejection(message: LogMessage, kind: string, error: { field: string; message: string }[]): RejectedEvent {
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
