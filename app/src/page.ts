// What a page is: forms rendered once per visit, a data view re-rendered on every change the
// page subscribes to, and those subscriptions.
import { type Connection, PublicKey } from "@solana/web3.js";

import { parseTokens } from "./amount";

export interface Page {
  title: string;
  /** Rendered once per visit (forms keep what was typed across live updates). */
  forms?: () => HTMLElement | null;
  /** Re-rendered on load and on every change. */
  view: () => Promise<HTMLElement>;
  /** Subscriptions over PubSub; each calls `changed`; returns the unsubscribes. */
  live?: (c: Connection, changed: () => void) => Array<() => void>;
}

/** A form field: a labelled input with a stable test id. */
export function field(
  label: string,
  testid: string,
  attrs: { placeholder?: string; value?: string; size?: number } = {},
): { row: HTMLLabelElement; input: HTMLInputElement } {
  const input = document.createElement("input");
  input.dataset.testid = testid;
  if (attrs.placeholder) input.placeholder = attrs.placeholder;
  if (attrs.value) input.value = attrs.value;
  if (attrs.size) input.size = attrs.size;
  const row = document.createElement("label");
  row.append(label, " ", input);
  return { row, input };
}

/** A user input that cannot be sent (shown by the transaction panel as `InvalidInput`). */
export class InputError extends Error {
  override readonly name = "InvalidInput";
}

/** The token amount typed in `input`, in base units (refuses what the mint cannot hold). */
export function readTokens(input: HTMLInputElement, decimals: number, what: string): bigint {
  try {
    return parseTokens(input.value, decimals);
  } catch (e) {
    throw new InputError(`${what}: ${(e as Error).message}`);
  }
}

/** The message shown in place of a page's data when the network is not there. */
export function noNetwork(): HTMLElement {
  const p = document.createElement("p");
  p.dataset.testid = "no-network";
  p.className = "error";
  p.textContent = "no network at this RPC (the market config is not initialized)";
  return p;
}

/** The address in a route, or null when it is not one (the page then says so). */
export function addressOrNull(address: string): PublicKey | null {
  try {
    return new PublicKey(address);
  } catch {
    return null;
  }
}
