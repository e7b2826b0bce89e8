const INVOKE = /^Program ([1-9A-HJ-NP-Za-km-z]+) invoke \[(\d+)\]$/;
const DONE = /^Program ([1-9A-HJ-NP-Za-km-z]+) (success|failed)/;
const DATA = "Program data: ";

/**
 * The `Program data:` payloads (base64) that `programId` wrote in a transaction's logs, in
 * order, at any CPI depth.
 *
 * Anchor 0.32's `EventParser` only attributes `Program data:` lines to a program invoked at the
 * top level; events a program emits while called through CPI (the staking program's
 * `Slashed` inside a market settlement, say) would be lost. This follows the invoke stack by
 * the depth the runtime writes in every `invoke [n]` line.
 */
export function* programDataLogs(programId: string, logs: readonly string[]): Generator<string> {
  const stack: string[] = [];
  for (const log of logs) {
    const invoke = INVOKE.exec(log);
    if (invoke) {
      stack.length = Math.max(0, Number(invoke[2]) - 1);
      stack.push(invoke[1]);
      continue;
    }
    if (DONE.test(log)) {
      stack.pop();
      continue;
    }
    if (log.startsWith(DATA) && stack[stack.length - 1] === programId) {
      yield log.slice(DATA.length);
    }
  }
}

/** A decoded event: its camelCase name and its data. */
export interface NamedEvent {
  name: string;
  data: unknown;
}

/** Whether `e` is the event `name` (narrows `e.data` to that event's type). */
export function isEvent<E extends NamedEvent, N extends E["name"]>(
  e: E,
  name: N,
): e is Extract<E, { name: N }> {
  return e.name === name;
}

/** The data of every event `name` among `events`, typed, in order. */
export function eventsNamed<E extends NamedEvent, N extends E["name"]>(
  events: readonly E[],
  name: N,
): Array<Extract<E, { name: N }>["data"]> {
  return events.filter((e): e is Extract<E, { name: N }> => isEvent(e, name)).map((e) => e.data);
}
