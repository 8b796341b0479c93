// Every CLI command, in the order `dawsos --help` lists them. Add a command by adding its file
// beside this one and one line here.
import type { CliCommand } from '../command';
import { doctorCommand } from './doctor';

export const commands: readonly CliCommand[] = [doctorCommand];
