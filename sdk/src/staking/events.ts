import type { EventDataOf, EventOf } from "../common/program";
import { program } from "./program";

export { isEvent } from "../common/events";

/** A staking event decoded from logs: `name` in camelCase, `data` typed by the IDL (amounts as
 * `bigint`). A union discriminated by `name`, so comparing the name narrows the data. */
export type Event = EventOf<typeof program>;

/** Each staking event's data by its name. */
export type EventData = EventDataOf<typeof program>;

/** Staking events in a transaction's logs, in order, at any CPI depth (`{ programId }` for a
 * deployment elsewhere). */
export const parseEvents = program.parseEvents;

/** Calls `callback` for every staking event of every confirmed transaction that succeeded;
 * returns an unsubscribe. */
export const onEvents = program.onEvents;

/** The data of every staking event `name` among `events`, typed, in order. */
export const eventsNamed = program.eventsNamed;
