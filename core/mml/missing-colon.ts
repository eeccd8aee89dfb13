// A statement in the original's form (spaces between parameters) written with the Huawei form's commas
// but no colon: `MOD USER USERNAME=1001 PASSWORD=newpw,STATUS=INACTIVE`. The original took a value as
// everything after its '=' up to a space (reference §1.1), so PASSWORD became `newpw,STATUS=INACTIVE`
// and the answer said RETCODE 0 (the echo masks a password: nobody saw it). A bare value that goes on
// with `,NAME=`, NAME a parameter of the same command, is that slip: refused, saying how to write it. A
// quoted value keeps its comma (PASSWORD="a,STATUS=b" is a password).
import { commandName } from './command';
import type { MmlCommand, MmlParam } from './command';

/** `,NAME=` inside a value (names as the grammar reads them: letters, digits, '_' and '.'). */
const GLUED = /,\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=/g;

/**
 * Why the bare value of parameter `typed` is two parameters run together, or undefined when it is not:
 * its text holds `,NAME=` where NAME (any case, or an alias) is one of `params`. The value is not quoted
 * in the answer (it may be a password).
 */
export function missingColon(
  command: MmlCommand,
  params: readonly MmlParam[],
  typed: string,
  raw: string,
): string | undefined {
  for (const m of raw.matchAll(GLUED)) {
    const name = m[1]!.toUpperCase();
    if (!params.some((p) => p.name === name || p.aliases?.includes(name))) continue;
    const cmd = commandName(command);
    return (
      `Parameter ${typed}: the value goes on with ",${name}=", a parameter of ${cmd}: separate parameters ` +
      `with spaces (${cmd} ${typed}=… ${name}=…), or write the Huawei form (${cmd}: ${typed}=…, ${name}=…); ` +
      `quote the value if the comma is part of it (${typed}="…")`
    );
  }
  return undefined;
}
