// Publishes rejected messages to the dead-letter topic, so that no message, however large, can stop its partition.
import type { RejectedEvent } from '@fraudline/db';
import { isMessageTooLarge, type EventLogProducer, type OutgoingMessage } from '@fraudline/streaming';

/** Rejections go in sends of about this many bytes: a broker refuses a record batch larger than the topic allows. */
const SEND_BYTES = 256 * 1024;
/** The longest error text a pointer record carries; the full list stays in raw.rejected_events. */
const POINTER_ERROR_CHARS = 2048;

const source = (row: RejectedEvent) => `${row.topic}/${row.partition}/${row.offset}`;

function deadLetter(row: RejectedEvent): OutgoingMessage {
  return {
    key: row.message_key,
    value: Buffer.from(row.payload, row.payload_encoding),
    headers: { 'x-error-kind': row.error_kind, 'x-error': JSON.stringify(row.error), 'x-source': source(row) },
  };
}

/** What the DLQ gets when the message itself cannot fit: where the rejected row is kept, and why. */
export function deadLetterPointer(row: RejectedEvent): OutgoingMessage {
  return {
    key: row.message_key,
    value: JSON.stringify({
      rejectedEvent: { table: 'raw.rejected_events', topic: row.topic, partition: row.partition, offset: row.offset },
      reason: 'the message with its headers is larger than the dead-letter topic allows; its bytes are kept in raw.rejected_events',
    }),
    headers: {
      'x-error-kind': row.error_kind,
      'x-error': JSON.stringify(row.error).slice(0, POINTER_ERROR_CHARS),
      'x-source': source(row),
      'x-payload': 'omitted',
    },
  };
}

const sizeOf = (message: OutgoingMessage) =>
  Buffer.byteLength(message.value) + Object.entries(message.headers ?? {}).reduce((sum, [k, v]) => sum + k.length + Buffer.byteLength(v), 0);

interface DeadLetter {
  row: RejectedEvent;
  message: OutgoingMessage;
}

/** Sends of at most SEND_BYTES each (a single larger message goes alone). */
function chunks(letters: DeadLetter[]): DeadLetter[][] {
  const out: DeadLetter[][] = [];
  let bytes = Infinity;
  for (const letter of letters) {
    const size = sizeOf(letter.message);
    if (bytes + size > SEND_BYTES) {
      out.push([]);
      bytes = 0;
    }
    out.at(-1)!.push(letter);
    bytes += size;
  }
  return out;
}

/**
 * Publishes each rejection with its bytes and its error in headers. A message the topic refuses as too large is
 * replaced by a pointer to its row in raw.rejected_events (stored before this runs); any other send error is thrown
 * for the caller to retry. Returns how many went out as pointers.
 */
export async function publishDeadLetters(producer: EventLogProducer, topic: string, rows: readonly RejectedEvent[]): Promise<number> {
  let pointers = 0;
  for (const chunk of chunks(rows.map((row) => ({ row, message: deadLetter(row) })))) {
    try {
      await producer.send(
        topic,
        chunk.map(({ message }) => message),
      );
    } catch (error) {
      if (!isMessageTooLarge(error)) throw error;
      for (const { row, message } of chunk) {
        try {
          await producer.send(topic, [message]);
        } catch (single) {
          if (!isMessageTooLarge(single)) throw single;
          await producer.send(topic, [deadLetterPointer(row)]);
          pointers += 1;
        }
      }
    }
  }
  return pointers;
}
