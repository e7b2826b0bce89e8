import { BorshCoder } from "@coral-xyz/anchor";

const INVOKE = /^Program ([1-9A-HJ-NP-Za-km-z]+) invoke \[(\d+)\]$/;
const DONE = /^Program ([1-9A-HJ-NP-Za-km-z]+) (success|failed)/;
const DATA = "Program data: ";

/**
 * The events `programId` emitted in a transaction's logs, in order, at any CPI depth.
 *
 * Anchor 0.32's `EventParser` only attributes `Program data:` lines to a program invoked at the
 * top level; events a program emits while called through CPI (the staking program's
 * `Slashed` inside a market settlement, say) would be lost. This parser follows the invoke
 * stack by the depth the runtime writes in every `invoke [n]` line.
 */
export function* parseProgramEvents(
  programId: string,
  coder: BorshCoder,
  logs: readonly string[],
): Generator<{ name: string; data: unknown }> {
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
      const event = coder.events.decode(log.slice(DATA.length));
      if (event) yield event;
    }
  }
}
