// The realm in force at start (AUTH.REALM from config.json and the environment) is the realm of every
// stored HA1. An unsaved SET CFG KEY=AUTH.REALM goes back at restart (README): the database kept the
// changed realm and its HA1 values while the challenges used the configured one, and every phone got
// 401 with the right password. A saved change stays, its HA1 values with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { loadSettings } from '../../../core/config/settings';
import { ha1Values } from '../../../core/sip/auth/ha1';
import { useHeldAppliance } from './held-appliance';

const held = useHeldAppliance();

/** A data folder whose config.json keeps the listeners on loopback, on ports of the system's choosing. */
function folder(): string {
  held.dataDir = mkdtempSync(join(tmpdir(), 'ims-realm-restart-'));
  const config = {
    'SIP.HOST': '127.0.0.1',
    'SIP.PORT': 0,
    'SIP.TCP': false,
    'SIP.TLS_PORT': 0,
    'SIP.WS_PORT': 0,
    'SIP.WSS_PORT': 0,
    'SIP.WARMUP_CALLS': 0,
  };
  writeFileSync(join(held.dataDir, 'config.json'), JSON.stringify(config));
  return held.dataDir;
}

/** Starts an appliance as the server does: its settings from config.json (no environment). */
async function start(dir: string): Promise<Appliance> {
  await held.appliance?.stop();
  held.appliance = new Appliance({ dataDir: dir, console: false, settings: loadSettings(dir, {}) });
  await held.appliance.start();
  return held.appliance;
}

async function mml(a: Appliance, statement: string): Promise<number> {
  const [result] = await a.mml.execute(statement, 'tester');
  return result!.retcode;
}

/** What the authenticator compares: the realm challenged, and the default user 1001's stored HA1s. */
function realms(a: Appliance) {
  return {
    challenged: a.settings.str('AUTH.REALM'),
    stored: a.users.credentials('1001'),
  };
}

describe('the realm across a restart', () => {
  it('an unsaved SET CFG AUTH.REALM goes back at restart, and the HA1 values with it', async () => {
    const dir = folder();
    const first = await start(dir);
    expect(await mml(first, 'SET CFG KEY=AUTH.REALM VALUE=realm3.test')).toBe(0);
    expect(first.users.credentials('1001')?.realm).toBe('realm3.test');

    const again = await start(dir);
    expect(realms(again)).toEqual({
      challenged: 'ims.lab',
      stored: expect.objectContaining({ realm: 'ims.lab', ha1: ha1Values('1001', 'ims.lab', '1001') }),
    });
    expect(again.users.realm).toBe('ims.lab');
  });

  it('a saved one stays, its HA1 values with it', async () => {
    const dir = folder();
    const first = await start(dir);
    expect(await mml(first, 'SET CFG KEY=AUTH.REALM VALUE=realm3.test')).toBe(0);
    expect(await mml(first, 'SAVE CFG')).toBe(0);

    const again = await start(dir);
    expect(realms(again)).toEqual({
      challenged: 'realm3.test',
      stored: expect.objectContaining({
        realm: 'realm3.test',
        ha1: ha1Values('1001', 'realm3.test', '1001'),
      }),
    });
  });
});
