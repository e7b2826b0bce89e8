// The SDK's MarketClient with USD job posting: the SDK has the `createJobUsd` instruction
// builder but its client posts token-priced jobs only, so the demo adds the one method here
// (built, signed and sent as the client's `createJob`, failures named by the SDK's errors).
// When the SDK's client gains it, this file goes and the actors use MarketClient again.
import { PublicKey, Signer, TransactionSignature } from "@solana/web3.js";

import { market, MarketClient } from "../../sdk/src";

export interface UsdJobTerms {
  market: PublicKey;
  /** The job's price in micro-USD. */
  priceMicroUsd: bigint;
  /** The most token base units the client will deposit (`PriceAboveMaximum` above it). */
  maxTokens: bigint;
  /** The market's Pyth `PriceUpdateV2` account. */
  priceUpdate: PublicKey;
  durationSecs: bigint;
  clientToken: PublicKey;
  targetProvider?: PublicKey;
  specHash?: Uint8Array | number[];
  nonce?: bigint;
  client?: Signer;
}

export class UsdMarketClient extends MarketClient {
  /** Posts a job on a USD-priced market (`create_job_usd`). */
  async createJobUsd(p: UsdJobTerms): Promise<{ signature: TransactionSignature; job: PublicKey }> {
    const ctx = await this.context(p.market);
    const client = p.client?.publicKey ?? this.wallet;
    const nonce = p.nonce ?? market.randomNonce();
    const signature = await this.send(
      [
        market.instructions.createJobUsd({
          ctx,
          client,
          clientToken: p.clientToken,
          nonce,
          priceMicroUsd: p.priceMicroUsd,
          maxTokens: p.maxTokens,
          priceUpdate: p.priceUpdate,
          durationSecs: p.durationSecs,
          specHash: p.specHash,
          targetProvider: p.targetProvider,
          programId: this.programId,
        }),
      ],
      p.client,
    );
    return { signature, job: market.jobPda(p.market, client, nonce, this.programId) };
  }
}
