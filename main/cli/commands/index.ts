// Every CLI command, in the order `dawsos --help` lists them. Add a command by adding its file
// beside this one and one line here.
import type { CliCommand } from '../command';
import { auditVerifyCommand } from './audit';
import { backupCommands } from './backup';
import { doctorCommand } from './doctor';
import { ledgerBalancesCommand, ledgerCheckCommand, ledgerHoldingsCommand } from './ledger';
import { pricingCommands } from './pricing';
import { providersCommands } from './providers';
import { storeCommands } from './store';
import { patternsListCommand, runCommand } from './run';
import { reconcileCommand } from './reconcile';
import { demoCommand } from './demo';

export const commands: readonly CliCommand[] = [
  doctorCommand,
  ledgerCheckCommand,
  ledgerBalancesCommand,
  ledgerHoldingsCommand,
  ...storeCommands,
  auditVerifyCommand,
  ...backupCommands,
  ...pricingCommands,
  ...providersCommands,
  runCommand,
  patternsListCommand,
  reconcileCommand,
  demoCommand,
];
