import type { EventDataOf, EventOf } from "../common/program";
import { program } from "./program";

export { isEvent } from "../common/events";

/** A emissions event decoded from logs: `name` in camelCase, `data` typed by the IDL (amounts as
 * `bigint`). A union discriminated by `name`, so comparing the name narrows the data. */
export type Event = EventOf<typeof program>;

/** Each emissions event's data by its name. */
export type EventData = EventDataOf<typeof program>;

/** Emissions events in a transaction's logs, in order, at any CPI depth (`{ programId }` for a
 * deployment elsewhere). */
export const parseEvents = program.parseEvents;

/** Calls `callback` for every emissions event of every confirmed transaction that succeeded;
 * returns an unsubscribe. */
export const onEvents = program.onEvents;

/** Why a vault emits nothing more (`EndReason`), as a string. */
export type EndReason = EventData["emissionEnded"]["reason"];

/** A token transfer from a vault to one recipient (in `emitted`'s `payments`). */
export type Payment = EventData["emitted"]["payments"][number];

/** The data of every emissions event `name` among `events`, typed, in order. */
export const eventsNamed = program.eventsNamed;
