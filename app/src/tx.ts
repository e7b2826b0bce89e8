// Sending: every action runs through `runTx`, which builds the SDK clients on the connected
// wallet, shows the transaction's signature as soon as it is signed, then "confirmed" or the
// error's name (the SDK's `translateError`: program, Anchor or runtime error).
import {
  CRUCIBLE_ERRORS,
  CrucibleError,
  EmissionsClient,
  market,
  MarketClient,
  StakingClient,
  translateError,
} from "@crucible/sdk";
import type { TransactionSignature } from "@solana/web3.js";

import { h } from "./dom";
import { connection, endpoints } from "./net";
import { InputError } from "./page";
import { chainOf, connected, type Connected, WalletProvider } from "./wallet";

export interface Clients {
  wallet: Connected;
  market: MarketClient;
  staking: StakingClient;
  emissions: EmissionsClient;
}

/** The panel every transaction reports to (in the header, so it survives re-renders). */
export const txPanel = h("div", { class: "tx", testid: "tx-panel" });
const history = h("ol", { class: "tx-history", testid: "tx-history" });

let busy = false;

/** Runs `action` (a transaction or several) on the connected wallet and reports it. Returns
 * whether it succeeded. */
export async function runTx(
  label: string,
  action: (c: Clients) => Promise<TransactionSignature | TransactionSignature[] | void>,
): Promise<boolean> {
  const wallet = connected();
  const status = h("span", { testid: "tx-status", class: "pending" }, "pending");
  const sigEl = h("code", { testid: "tx-signature" });
  const errEl = h("span", { testid: "tx-error", class: "error" });
  const msgEl = h("span", { testid: "tx-message", class: "muted" });
  txPanel.replaceChildren(
    h("span", { testid: "tx-label" }, label),
    " ",
    status,
    " ",
    sigEl,
    " ",
    errEl,
    " ",
    msgEl,
  );
  const fail = (name: string, message: string) => {
    status.textContent = "failed";
    status.className = "failed";
    errEl.textContent = name;
    msgEl.textContent = message;
    history.prepend(h("li", {}, `${label}: ${name} ${sigEl.textContent ?? ""}`));
    return false;
  };
  if (!wallet) return fail("NoWallet", "connect a wallet first");
  if (busy) return fail("Busy", "another transaction is in flight");
  busy = true;
  try {
    const provider = new WalletProvider(connection(), wallet, chainOf(endpoints().rpc), (sig) => {
      sigEl.textContent = sig;
    });
    const clients: Clients = {
      wallet,
      market: new MarketClient(provider),
      staking: new StakingClient(provider),
      emissions: new EmissionsClient(provider),
    };
    const out = await action(clients);
    const sigs = out === undefined ? [] : Array.isArray(out) ? out : [out];
    if (sigs.length) sigEl.textContent = sigs.join(" ");
    status.textContent = "confirmed";
    // The page re-reads at once too, whether or not PubSub has told it yet.
    window.dispatchEvent(new Event("crucible:confirmed"));
    status.className = "confirmed";
    history.prepend(h("li", {}, `${label}: confirmed ${sigEl.textContent ?? ""}`));
    return true;
  } catch (err) {
    if (err instanceof InputError) return fail(err.name, err.message);
    // A price the market would refuse, refused first by the SDK under the program's name.
    if (err instanceof market.PriceError) return fail(err.errorName, err.message);
    const e = err instanceof CrucibleError ? err : translateError(err, CRUCIBLE_ERRORS);
    return fail(e.name, e.message);
  } finally {
    busy = false;
  }
}

/** The transaction panel and its history, for the header. */
export function txArea(): HTMLElement {
  return h(
    "section",
    { class: "tx-area" },
    txPanel,
    h("details", {}, h("summary", {}, "transactions"), history),
  );
}
