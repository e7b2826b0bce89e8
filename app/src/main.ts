// The app: a header (navigation, RPC URL, wallet, local key), hash routes, and the current
// page, re-rendered live on every change it subscribes to over PubSub.
import "./polyfill";
import "./style.css";

import { h } from "./dom";
import { keypairFrom, registerKeyWallet } from "./keywallet";
import { connection, endpoints, loadNetwork } from "./net";
import type { Page } from "./page";
import { emissionsPage } from "./pages/emissions";
import { jobPage } from "./pages/job";
import { marketPage } from "./pages/market";
import { marketsPage } from "./pages/markets";
import { networkPage } from "./pages/network";
import { providerPage } from "./pages/provider";
import { txArea } from "./tx";
import {
  connect,
  connected,
  disconnect,
  onConnectionChanged,
  onWalletsChanged,
  signingWallets,
} from "./wallet";

/** The page for a hash route: `#/markets`, `#/market/<a>`, `#/job/<a>`, `#/provider/<owner>`,
 * `#/emissions`, `#/network`. */
function route(hash: string): Page {
  const [, name, arg] = hash.replace(/^#/, "").split("?")[0].split("/");
  switch (name) {
    case "market":
      return marketPage(arg ?? "");
    case "job":
      return jobPage(arg ?? "");
    case "provider":
      return providerPage(arg || undefined);
    case "emissions":
      return emissionsPage();
    case "network":
      return networkPage();
    default:
      return marketsPage();
  }
}

// --- header ---

const rpcInput = h("input", { testid: "rpc-url", value: endpoints().rpc, size: 34 });
const rpcForm = h(
  "form",
  {
    class: "rpc",
    onsubmit: (e: Event) => {
      e.preventDefault();
      const q = new URLSearchParams(location.search);
      q.set("rpc", rpcInput.value.trim());
      q.delete("ws");
      location.search = q.toString();
    },
  },
  h("label", {}, "RPC ", rpcInput),
  h("button", { testid: "rpc-apply" }, "Use"),
);

const walletSelect = h("select", { testid: "wallet-select" });
const walletStatus = h("span", { testid: "wallet-address", class: "muted" }, "not connected");
const connectButton = h("button", { testid: "wallet-connect" }, "Connect");
const disconnectButton = h("button", { testid: "wallet-disconnect" }, "Disconnect");
const keyInput = h("input", {
  testid: "key-input",
  type: "password",
  placeholder: "secret key: base58 or [JSON bytes]",
  size: 34,
});
const keyError = h("span", { testid: "key-error", class: "error" });

function renderWallets(): void {
  const wallets = signingWallets();
  const chosen = walletSelect.value;
  walletSelect.replaceChildren(...wallets.map((w) => h("option", { value: w.name }, w.name)));
  if (wallets.length === 0) walletSelect.append(h("option", { value: "" }, "no wallet found"));
  if (wallets.some((w) => w.name === chosen)) walletSelect.value = chosen;
  const c = connected();
  walletStatus.textContent = c ? `${c.wallet.name}: ${c.publicKey.toBase58()}` : "not connected";
  walletStatus.dataset.address = c?.publicKey.toBase58() ?? "";
  myProvider.href = c ? `#/provider/${c.publicKey.toBase58()}` : "#/provider";
}

async function connectChosen(address?: string): Promise<void> {
  const w = signingWallets().find((x) => x.name === walletSelect.value) ?? signingWallets()[0];
  if (!w) return;
  try {
    await connect(w, address);
  } catch (e) {
    walletStatus.textContent = `connect failed: ${(e as Error).message}`;
  }
}

connectButton.addEventListener("click", () => void connectChosen());
disconnectButton.addEventListener("click", () => disconnect());

/** Registers a local key wallet from `text` and connects it. */
function useKey(text: string): void {
  try {
    const key = keypairFrom(text);
    registerKeyWallet(key);
    renderWallets();
    walletSelect.value = "Local key";
    void connectChosen(key.publicKey.toBase58());
    keyError.textContent = "";
  } catch (e) {
    keyError.textContent = `bad key: ${(e as Error).message}`;
  }
}

const keyButton = h(
  "button",
  { testid: "key-use", onclick: () => useKey(keyInput.value) },
  "Use key",
);

const myProvider = h("a", { href: "#/provider", testid: "nav-provider" }, "My provider");

const nav = h(
  "nav",
  {},
  h("a", { href: "#/markets", testid: "nav-markets" }, "Markets"),
  myProvider,
  h("a", { href: "#/emissions", testid: "nav-emissions" }, "Emissions"),
  h("a", { href: "#/network", testid: "nav-network" }, "Network"),
);

const title = h("h1", { testid: "page-title" });
const formsSlot = h("div", { testid: "page-forms" });
const viewSlot = h("div", { testid: "page-view" });
const liveState = h("span", { testid: "live-state", class: "muted" });

document.body.append(
  h(
    "header",
    {},
    h("div", { class: "brand" }, "Crucible"),
    nav,
    rpcForm,
    h("div", { class: "wallet" }, walletSelect, connectButton, disconnectButton, walletStatus),
    h(
      "details",
      { class: "settings", testid: "settings" },
      h("summary", {}, "local key"),
      keyInput,
      keyButton,
      keyError,
    ),
    txArea(),
  ),
  h("main", {}, h("div", { class: "titlebar" }, title, liveState), formsSlot, viewSlot),
);

onWalletsChanged(renderWallets);
onConnectionChanged(() => {
  renderWallets();
  void refresh();
});

// --- the current page, live ---

let page: Page = marketsPage();
let unsubscribe: Array<() => void> = [];
let generation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let rendering: Promise<void> = Promise.resolve();

/** Renders the current page's data view (a render in flight finishes first; the last wins). */
function refresh(): Promise<void> {
  const g = generation;
  rendering = rendering.then(async () => {
    if (g !== generation) return;
    try {
      const view = await page.view();
      if (g !== generation) return;
      viewSlot.replaceChildren(view);
      goLive(g);
    } catch (e) {
      if (g !== generation) return;
      viewSlot.replaceChildren(
        h(
          "p",
          { testid: "load-error", class: "error" },
          `could not read from ${endpoints().rpc}: ${(e as Error).message}`,
        ),
      );
    }
    // Tests wait on this: how many times the current page's data has rendered.
    viewSlot.dataset.rendered = String(Number(viewSlot.dataset.rendered ?? 0) + 1);
  });
  return rendering;
}

/** Subscribes the page to its changes once its data has rendered and the network is there
 * (a dead RPC gets no WebSocket, so no reconnect noise). */
function goLive(g: number): void {
  if (!page.live || liveState.textContent === "live") return;
  void loadNetwork().then(
    (net) => {
      if (!net || g !== generation || liveState.textContent === "live") return;
      try {
        unsubscribe = page.live ? page.live(connection(), changed) : [];
        liveState.textContent = "live";
      } catch {
        liveState.textContent = "not live";
      }
    },
    () => undefined,
  );
}

/** Re-renders soon after a burst of changes. */
function changed(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refresh(), 150);
}

function show(): void {
  for (const u of unsubscribe) u();
  generation++;
  page = route(location.hash);
  title.textContent = page.title;
  formsSlot.replaceChildren(
    ...(page.forms ? [page.forms()].filter((x): x is HTMLElement => !!x) : []),
  );
  viewSlot.replaceChildren(h("p", { class: "muted", testid: "loading" }, "loading…"));
  delete viewSlot.dataset.rendered;
  unsubscribe = [];
  liveState.textContent = "";
  void refresh();
}

window.addEventListener("hashchange", show);
window.addEventListener("crucible:confirmed", changed);

// A key from the URL (`?key=`, or `#/route?key=`) registers and connects the local key wallet.
const keyParam =
  new URLSearchParams(location.search).get("key") ??
  new URLSearchParams(location.hash.split("?")[1] ?? "").get("key");
renderWallets();
if (keyParam) useKey(keyParam);
if (!location.hash)
  history.replaceState(null, "", `${location.pathname}${location.search}#/markets`);
show();
