// Anchor's deploy hook (`anchor migrate`): bootstraps a cluster after the programs are deployed,
// idempotently, from a JSON config (mint, staking pool, treasury, market config, markets,
// emission vaults): the same code as `crucible init --config <file>` (cli/src/bootstrap/).
//
//   CRUCIBLE_CONFIG=config/localnet.json anchor migrate       # the default config
//   CRUCIBLE_UPDATE=1 ...                                      # also update what differs
//
// A second run finds everything in place and sends nothing. A bad config is rejected with the
// field named; a chain that differs from the config is reported and nothing is sent (unless
// CRUCIBLE_UPDATE=1 asks to update markets, the pool, the treasury and vault recipients).
import { AnchorProvider } from "@coral-xyz/anchor";

import { bootstrap, loadConfig, Report, requireDeployed } from "../cli/src/bootstrap";

/** Checks the programs are deployed, then bootstraps from `configPath`; returns the report. */
export async function deploy(
  provider: AnchorProvider,
  configPath = process.env.CRUCIBLE_CONFIG ?? "config/localnet.json",
  o: { update?: boolean; log?: (line: string) => void } = {},
): Promise<Report> {
  const log = o.log ?? ((line: string) => console.log(line));
  for (const { name, id } of await requireDeployed(provider.connection))
    log(`${name}: deployed at ${id.toBase58()}`);
  const report = await bootstrap(provider, loadConfig(configPath), {
    update: o.update ?? process.env.CRUCIBLE_UPDATE === "1",
    log,
  });
  log(
    report.nothingToDo
      ? "nothing to do: the chain already matches the config"
      : `${report.signatures.length} transaction(s) sent`,
  );
  return report;
}

module.exports = Object.assign(async (provider: AnchorProvider) => void (await deploy(provider)), {
  deploy,
});
