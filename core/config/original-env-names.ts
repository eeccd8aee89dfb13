// The original's name for a setting given as an environment variable. Its users know the SIP port as
// SERVER_PORT (its README FAQ: "edit SERVER_PORT in run.py", DSP SYSCFG, SIP.SERVER_PORT), and IMS Lab keeps
// the original's one variable, SERVER_IP; so SERVER_PORT=5070 is the natural first try, and it was ignored
// without a word, the server up on another port. The original never read it from the environment (a
// constant of run.py), so it is not taken as an alias: it is named in a WARNING with the variable IMS Lab
// reads, as config.json names the key to write for the original's keys (settings.ts ORIGINAL_NAMES).
import { definition, renamedSetting } from './settings';

/** The original's names (run.py's globals) a user may set as a variable. */
const ORIGINAL_VARIABLES = ['SERVER_PORT'] as const;

/** One WARNING line per variable of `env` that is the original's name for a setting with a variable here. */
export function originalVariables(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const name of ORIGINAL_VARIABLES) {
    if (env[name] === undefined) continue;
    const key = renamedSetting(name);
    const ours = key === undefined ? undefined : definition(key)?.env;
    if (ours === undefined) continue;
    out.push(
      `environment variable ${name} is the original's name for ${key}, not one IMS Lab reads, ignored: set ${ours}; README "Running headless" lists them`,
    );
  }
  return out;
}
