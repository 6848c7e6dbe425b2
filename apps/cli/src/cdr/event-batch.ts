// Call events packed into one transferable buffer, so a reader thread can hand
// a replay thousands of rows at a time with no copy and no object per row.
// Labels (trunk, customer) travel as numbers into a table both sides grow in
// the same order: a batch carries the labels first seen in it.
import type { Direction } from "@sipcodes/detect";

/** Rows per batch: large enough that a message costs little per row, small enough to keep both threads busy. */
export const BATCH_ROWS = 8192;

/** One row's fields, as the replay takes them (time undefined: the row had no readable time). */
export type TakeEvent = (
  time: number | undefined,
  code: number,
  trunk: string | undefined,
  customer: string | undefined,
  direction: Direction | undefined,
  line: number,
) => void;

/** What crosses between the threads: `rows` rows in `buffer`, and the labels new in them. */
export interface EventBatch {
  rows: number;
  buffer: ArrayBuffer;
  labels: string[];
}

// Widest fields first, so every view starts on its own alignment.
const TIME = 0;
const LINE = TIME + 8 * BATCH_ROWS;
const TRUNK = LINE + 4 * BATCH_ROWS;
const CUSTOMER = TRUNK + 4 * BATCH_ROWS;
const CODE = CUSTOMER + 4 * BATCH_ROWS;
const DIRECTION = CODE + 4 * BATCH_ROWS;
const BYTES = DIRECTION + BATCH_ROWS;

const DIRECTIONS: readonly (Direction | undefined)[] = [undefined, "inbound", "outbound"];

interface Views {
  time: Float64Array;
  line: Int32Array;
  trunk: Int32Array;
  customer: Int32Array;
  code: Int32Array;
  direction: Uint8Array;
}

function views(buffer: ArrayBuffer): Views {
  return {
    time: new Float64Array(buffer, TIME, BATCH_ROWS),
    line: new Int32Array(buffer, LINE, BATCH_ROWS),
    trunk: new Int32Array(buffer, TRUNK, BATCH_ROWS),
    customer: new Int32Array(buffer, CUSTOMER, BATCH_ROWS),
    code: new Int32Array(buffer, CODE, BATCH_ROWS),
    direction: new Uint8Array(buffer, DIRECTION, BATCH_ROWS),
  };
}

/** Packs rows into batches; `send` gets each full one (and the last with `flush`). */
export class EventBatchWriter {
  private buffer = new ArrayBuffer(BYTES);
  private v = views(this.buffer);
  private rows = 0;
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  constructor(private readonly send: (batch: EventBatch) => void) {}

  readonly take: TakeEvent = (time, code, trunk, customer, direction, line) => {
    const i = this.rows;
    const v = this.v;
    v.time[i] = time ?? Number.NaN;
    v.code[i] = code;
    v.trunk[i] = trunk === undefined ? -1 : this.id(trunk);
    v.customer[i] = customer === undefined ? -1 : this.id(customer);
    v.direction[i] = direction === "inbound" ? 1 : direction === "outbound" ? 2 : 0;
    v.line[i] = line;
    if (++this.rows === BATCH_ROWS) this.flush();
  };

  /** Sends the rows packed so far, if any. */
  flush(): void {
    if (this.rows === 0) return;
    this.send({ rows: this.rows, buffer: this.buffer, labels: this.fresh });
    this.buffer = new ArrayBuffer(BYTES);
    this.v = views(this.buffer);
    this.rows = 0;
    this.fresh = [];
  }

  private id(label: string): number {
    let id = this.ids.get(label);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(label, id);
      this.fresh.push(label);
    }
    return id;
  }
}

/** Unpacks batches in the order they were sent, handing each row to `take`. */
export class EventBatchReader {
  private readonly labels: string[] = [];

  constructor(private readonly take: TakeEvent) {}

  read(batch: EventBatch): void {
    for (const label of batch.labels) this.labels.push(label);
    const { time, line, trunk, customer, code, direction } = views(batch.buffer);
    const labels = this.labels;
    const take = this.take;
    for (let i = 0; i < batch.rows; i++) {
      const t = time[i]!;
      const tr = trunk[i]!;
      const cu = customer[i]!;
      take(
        Number.isNaN(t) ? undefined : t,
        code[i]!,
        tr < 0 ? undefined : labels[tr],
        cu < 0 ? undefined : labels[cu],
        DIRECTIONS[direction[i]!],
        line[i]!,
      );
    }
  }
}
