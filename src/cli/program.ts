import { Command } from 'commander';
import { registerAffiliateCommands } from './commands/affiliate.js';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerClickCommands } from './commands/clicks.js';
import { registerDatabaseCommands } from './commands/database.js';
import { registerFraudCommands } from './commands/fraud.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLinkCommands } from './commands/link.js';
import { registerOperatorCommands } from './commands/operator.js';
import { registerOrderCommands } from './commands/orders.js';
import { registerPayoutCommands } from './commands/payouts.js';
import { registerPlanCommands } from './commands/plan.js';
import { registerReportCommands } from './commands/reports.js';
import { registerSellerCommands } from './commands/seller.js';
import { registerSellerReportCommands } from './commands/seller-reports.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSettingsCommands } from './commands/settings.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStoreCommands } from './commands/store.js';

/** The `affnet` command line, every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('affnet')
    .description('affnet: a self-hosted affiliate network engine')
    .showHelpAfterError()
    .exitOverride();

  registerServeCommand(program);
  registerDatabaseCommands(program);
  registerAffiliateCommands(program);
  registerCatalogCommands(program);
  registerLinkCommands(program);
  registerClickCommands(program);
  registerPlanCommands(program);
  registerSettingsCommands(program);
  registerOperatorCommands(program);
  registerLedgerCommands(program);
  registerOrderCommands(program);
  registerFraudCommands(program);
  registerPayoutCommands(program);
  registerReportCommands(program);
  // The seller command first: the report commands join it (seller report, seller statement).
  registerSellerCommands(program);
  registerSellerReportCommands(program);
  registerSimulateCommand(program);
  registerStoreCommands(program);
  return program;
}
