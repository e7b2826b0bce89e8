// Every event of the three programs, collected over PubSub while the demo runs.
import { Connection, PublicKey } from "@solana/web3.js";

import {
  emissions,
  EMISSIONS_PROGRAM_ID,
  market,
  MARKET_PROGRAM_ID,
  staking,
  STAKING_PROGRAM_ID,
} from "../../sdk/src";

/** Collects every event of the three programs over PubSub (confirmed logs). */
export class EventLog {
  readonly market: market.Event[] = [];
  readonly staking: staking.Event[] = [];
  readonly emissions: Array<{ name: string; data: Record<string, unknown> }> = [];
  private ids: number[] = [];
  constructor(private readonly connection: Connection) {
    const sub = (program: PublicKey, f: (logs: string[]) => void) =>
      this.ids.push(connection.onLogs(program, (l) => !l.err && f(l.logs), "confirmed"));
    sub(MARKET_PROGRAM_ID, (logs) => this.market.push(...market.parseEvents(logs)));
    sub(STAKING_PROGRAM_ID, (logs) => this.staking.push(...staking.parseEvents(logs)));
    sub(EMISSIONS_PROGRAM_ID, (logs) => this.emissions.push(...emissions.parseEvents(logs)));
  }
  get size(): number {
    return this.market.length + this.staking.length + this.emissions.length;
  }
  async settle(): Promise<void> {
    // Confirmed logs come as the block that holds a transaction is confirmed, up to a slot or two
    // (400 ms each) after it, on a validator as on crucible-localnet: wait until none arrive
    // for a second.
    let last = -1;
    while (last !== this.size) {
      last = this.size;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  async close(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.connection.removeOnLogsListener(id)));
  }
}
