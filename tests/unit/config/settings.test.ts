import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, error } from './config-dirs';
import { SETTINGS, Settings, loadSettings } from '../../../core/config/settings';
import { parseCidrList } from '../../../core/sip/proxy/network';
import { dialerAddressProblem } from '../../../core/config/dialer-address';
import { zhMessage } from '../../../core/mml/lang';
import type { NetworkInterfaceInfo } from 'node:os';

describe('settings', () => {
  it('starts from the defaults', () => {
    const s = loadSettings(dataDir(), {});
    for (const d of SETTINGS) expect(s.get(d.key)).toEqual(d.default);
    expect(s.int('SIP.PORT')).toBe(5060);
    expect(s.list('AUTH.ALGORITHMS')).toEqual(['MD5', 'SHA-256']);
  });

  it('reads config.json, and the environment wins over it', () => {
    const s = loadSettings(
      dataDir({ 'REG.MIN_EXPIRES': 5, 'sip.port': '6060', 'AUTH.ALGORITHMS': 'sha-256, md5' }),
      {
        SIP_PORT: '0',
        LOG_LEVEL: 'debug',
        SERVER_IP: '10.1.2.3',
      },
    );
    expect(s.int('REG.MIN_EXPIRES')).toBe(5);
    expect(s.int('SIP.PORT')).toBe(0);
    expect(s.list('AUTH.ALGORITHMS')).toEqual(['SHA-256', 'MD5']);
    expect(s.str('LOG.LEVEL')).toBe('DEBUG');
    expect(s.str('SIP.SERVER_IP')).toBe('10.1.2.3');
  });

  it.each([
    [{ SIP_PORT: '70000' }, 'SIP_PORT', /a port number from 0 to 65535/],
    [{ HTTP_PORT: 'abc' }, 'HTTP_PORT', /a port number/],
    // A slip, not 0 (a free port).
    [{ SIP_PORT: '-0' }, 'SIP_PORT', /a port number from 0 to 65535 \(got "-0"\)/],
    [{ LOCAL_NETWORK_CIDR: '192.168.0.0' }, 'LOCAL_NETWORK_CIDR', /CIDR/],
    [{ LOCAL_NETWORK_CIDR: ' , ' }, 'LOCAL_NETWORK_CIDR', /CIDR/],
    [{ LOG_LEVEL: 'CRITICAL' }, 'LOG_LEVEL', /DEBUG, INFO, WARNING, ERROR/],
    // The advertised address goes into Via and Record-Route: a bad one broke every forwarded request.
    [{ SERVER_IP: 'a b' }, 'SERVER_IP', /IP address/],
    [{ SERVER_IP: '192.168.1.300' }, 'SERVER_IP', /IP address/],
    [{ SERVER_IP: '192.168.1.100:5060' }, 'SERVER_IP', /IP address/],
    [{ SERVER_IP: '0.0.0.0' }, 'SERVER_IP', /IP address/],
    [{ SERVER_IP6: '192.0.2.1' }, 'SERVER_IP6', /IPv6 address/],
    [{ SERVER_IP6: '::' }, 'SERVER_IP6', /IPv6 address/],
    [{ SERVER_IP6: 'fe80::1%lo' }, 'SERVER_IP6', /cannot be fe80::1%lo: a zone/],
    [{ SERVER_IP6: '::ffff:127.0.0.1' }, 'SERVER_IP6', /IPv4-mapped/],
  ])('refuses a bad environment value %j, naming the variable', (env, name, message) => {
    const e = error(() => loadSettings(dataDir(), env));
    expect(e.key).toBe(name);
    expect(e.message).toMatch(message);
  });

  it('takes a CIDR list with a trailing comma, as the other comma lists', () => {
    const s = loadSettings(dataDir(), { LOCAL_NETWORK_CIDR: '10.0.0.0/8, fd00::/8,', SIP_DOMAINS: 'a.lab,' });
    expect(parseCidrList(s.str('SIP.LOCAL_NETWORK_CIDR'))).toHaveLength(2);
    expect(s.list('SIP.DOMAINS')).toEqual(['a.lab']);
  });

  it("takes a host name or an IPv4 address as SIP.DOMAIN, every canonical AOR's host (RFC 3261 §25.1)", () => {
    for (const good of ['ims.lab', 'lab', 'a-b.example.com', '192.168.1.10', 'ims.lab.'])
      expect(loadSettings(dataDir({ 'SIP.DOMAIN': good }), {}).str('SIP.DOMAIN')).toBe(good);
    for (const bad of ['a b', '中文😀', '1.2.3', '-lab', 'lab-', 'sip:ims.lab', 'ims..lab', ''])
      expect(error(() => loadSettings(dataDir({ 'SIP.DOMAIN': bad }), {})).message).toMatch(
        /SIP\.DOMAIN: must be a host name like ims\.lab, or an IPv4 address/,
      );
  });

  it('refuses a bad config.json, naming the file and key', () => {
    expect(error(() => loadSettings(dataDir('{oops'), {})).message).toMatch(/config\.json: not valid JSON/);
    expect(error(() => loadSettings(dataDir({ 'NO.SUCH': 1 }), {})).message).toMatch(
      /NO\.SUCH: unknown setting/,
    );
    // The original's config.json keys, and environment variables' names, name the key to write.
    expect(error(() => loadSettings(dataDir({ LOG_LEVEL: 'DEBUG' }), {})).message).toMatch(
      /LOG_LEVEL: unknown setting: write LOG\.LEVEL instead/,
    );
    expect(error(() => loadSettings(dataDir({ SERVER_PORT: 5060 }), {})).message).toMatch(
      /SERVER_PORT: unknown setting: write SIP\.PORT instead/,
    );
    expect(error(() => loadSettings(dataDir({ USERS: {} }), {})).message).toMatch(/IMP USER/);
    // A typo gets the nearest key, as SET CFG KEY= does.
    expect(error(() => loadSettings(dataDir({ 'LOG.LEVL': 'DEBUG' }), {})).message).toMatch(
      /config\.json LOG\.LEVL: unknown setting \(did you mean LOG\.LEVEL\?\)$/,
    );
    expect(error(() => loadSettings(dataDir({ 'sip.prot': 5070 }), {})).message).toMatch(
      /sip\.prot: unknown setting \(did you mean SIP\.PORT\?\)$/,
    );
    // A key that is a name of every object's ("write function toString() { [native code] } instead").
    expect(error(() => loadSettings(dataDir('{"toString": 1}'), {})).message).toMatch(
      /toString: unknown setting$/,
    );
    // A byte order mark first (an editor on Windows) is no fault: the file is UTF-8.
    expect(loadSettings(dataDir('\uFEFF{"LOG.LEVEL": "DEBUG"}'), {}).str('LOG.LEVEL')).toBe('DEBUG');
    // The original's whole file: every key at fault at once, not one per start.
    const original = {
      SERVER_PORT: 5060,
      FORCE_LOCAL_ADDR: true,
      USERS: {},
      LOG_LEVEL: 'INFO',
      'SIP.PORT': 5070,
    };
    const all = error(() => loadSettings(dataDir(original), {})).message;
    expect(all).toMatch(
      /config\.json: 4 settings to fix: SERVER_PORT: unknown setting: write SIP\.PORT instead; /,
    );
    for (const key of ['FORCE_LOCAL_ADDR: ', 'USERS: ', 'LOG_LEVEL: unknown setting: write LOG.LEVEL'])
      expect(all).toContain(key);
    expect(error(() => loadSettings(dataDir({ 'REG.MIN_EXPIRES': 0 }), {})).message).toMatch(
      /REG\.MIN_EXPIRES: must be a whole number of seconds from 1 to 3600/,
    );
    // RFC 3261 §10.3 step 7: a 423 only for an interval shorter than an hour.
    expect(error(() => loadSettings(dataDir({ 'REG.MIN_EXPIRES': 3601 }), {})).message).toMatch(
      /REG\.MIN_EXPIRES: must be a whole number of seconds from 1 to 3600/,
    );
  });

  it('refuses two listeners on one port and address, naming both; port 0 and other addresses are fine', () => {
    expect(error(() => loadSettings(dataDir(), { SIP_PORT: '5070', SIP_WS_PORT: '5070' })).message).toBe(
      "SIP_WS_PORT: TCP port 5070 is SIP_PORT's too: give each listener its own port",
    );
    expect(error(() => loadSettings(dataDir({ 'HTTP.PORT': 5061 }), {})).message).toBe(
      "HTTP.PORT: TCP port 5061 is SIP.TLS_PORT's too: give each listener its own port",
    );
    expect(() => loadSettings(dataDir(), { SIP_PORT: '0', HTTP_PORT: '0' })).not.toThrow();
    const apart = { SIP_HOST: '127.0.0.1', HTTP_HOST: '127.0.0.2', HTTP_PORT: '5060' };
    expect(() => loadSettings(dataDir(), apart)).not.toThrow();
    expect(() => loadSettings(dataDir(), { ...apart, HTTP_HOST: '0.0.0.0' })).toThrow(/HTTP_PORT/);
  });

  it('refuses two listeners on one port at run time too (SET CFG), the setting unchanged', () => {
    const s = loadSettings(dataDir(), {});
    expect(error(() => s.change('HTTP.PORT', 5060)).message).toBe(
      "HTTP.PORT: cannot be 5060: TCP port 5060 is SIP.PORT's too: give each listener its own port",
    );
    expect(error(() => s.change('SIP.PORT', 8888)).message).toBe(
      "SIP.PORT: cannot be 8888: TCP port 8888 is HTTP.PORT's too: give each listener its own port",
    );
    expect([s.int('HTTP.PORT'), s.int('SIP.PORT')]).toEqual([8888, 5060]);
    expect(s.unsaved()).toEqual([]);
    // Apart on addresses, the same port is fine.
    s.change('HTTP.HOST', '127.0.0.2');
    s.change('SIP.HOST', '127.0.0.1');
    expect(() => s.change('HTTP.PORT', 5060)).not.toThrow();
  });

  it('SIP.TCP NO: SIP.PORT binds no TCP, so another listener may have its number for TCP', () => {
    // The transport binds no TCP listener without SIP.TCP; the check said the TCP port was SIP.PORT's.
    const noTcp = { 'SIP.TCP': false };
    const s = loadSettings(dataDir(noTcp), { SIP_PORT: '5070', HTTP_PORT: '5070' });
    expect(s.int('HTTP.PORT')).toBe(5070);
    expect(() => s.change('SIP.WS_PORT', 5070)).toThrow(/cannot be 5070: TCP port 5070 is HTTP_PORT's too/);
    // Turning TCP on would clash with HTTP.PORT: refused, named.
    expect(error(() => s.change('SIP.TCP', true)).message).toBe(
      "SIP.TCP: cannot be YES: TCP port 5070 is HTTP_PORT's too: give each listener its own port",
    );
    expect(s.bool('SIP.TCP')).toBe(false);
    // With TCP on, the same pair is refused at start as before.
    expect(error(() => loadSettings(dataDir(), { SIP_PORT: '5070', HTTP_PORT: '5070' })).message).toBe(
      "HTTP_PORT: TCP port 5070 is SIP_PORT's too: give each listener its own port",
    );
    const t = loadSettings(dataDir(noTcp), {});
    expect(() => t.change('HTTP.PORT', 5060)).not.toThrow();
  });

  it('refuses a SERVER_IP of a family SIP_HOST does not listen on, at start and at run time', () => {
    expect(error(() => loadSettings(dataDir(), { SIP_HOST: '::1', SERVER_IP: '127.0.0.1' })).message).toBe(
      'SERVER_IP: it is IPv4 while SIP_HOST is IPv6 (::1): the SIP listeners would be advertised at an address of ' +
        'a family they do not listen on (SIP.HOST :: listens on both)',
    );
    expect(() => loadSettings(dataDir(), { SIP_HOST: '0.0.0.0', SERVER_IP: '2001:db8::1' })).toThrow(
      /^SERVER_IP:/,
    );
    // Both families (::), the same family (NAT: bound privately, advertised publicly), or detected: fine.
    for (const env of [
      { SIP_HOST: '::', SERVER_IP: '203.0.113.5' },
      { SIP_HOST: '10.0.0.5', SERVER_IP: '203.0.113.5' },
      { SIP_HOST: '::1' },
    ])
      expect(() => loadSettings(dataDir(), env), JSON.stringify(env)).not.toThrow();
    const s = loadSettings(dataDir(), { SIP_HOST: '127.0.0.1' });
    expect(error(() => s.change('SIP.SERVER_IP', '::1')).message).toMatch(
      /^SIP\.SERVER_IP: cannot be ::1: it is IPv6 while SIP_HOST is IPv4/,
    );
    s.change('SIP.SERVER_IP', '127.0.0.2');
    expect(error(() => s.change('SIP.HOST', '::1')).message).toMatch(
      /^SIP\.HOST: cannot be ::1: it is IPv6 while SIP\.SERVER_IP is IPv4/,
    );
    expect([s.str('SIP.HOST'), s.str('SIP.SERVER_IP')]).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('refuses settings out of order (a minimum above its maximum), once every source is read', () => {
    const both = dataDir({ 'REG.MIN_EXPIRES': 3000, 'REG.MAX_EXPIRES': 10 });
    expect(error(() => loadSettings(both, {})).message).toBe(
      `${join(both, 'config.json')} REG.MIN_EXPIRES: must be at most REG.MAX_EXPIRES (10), got 3000`,
    );
    const t1 = dataDir({ 'TIMER.T1': 5000 });
    expect(error(() => loadSettings(t1, {})).message).toBe(
      `${join(t1, 'config.json')} TIMER.T1: must be at most TIMER.T2 (4000, its default: change both, or set TIMER.T2 in config.json too), got 5000`,
    );
    // Said of the key the file gives, not of the one at its default (REG.DEFAULT_EXPIRES), and the file named.
    const max = dataDir({ 'REG.MAX_EXPIRES': 100 });
    expect(error(() => loadSettings(max, {})).message).toBe(
      `${join(max, 'config.json')} REG.MAX_EXPIRES: must be at least REG.DEFAULT_EXPIRES (3600, its default: change both, or set REG.DEFAULT_EXPIRES in config.json too), got 100`,
    );
    // In order in the end, whichever key the file or the environment gives first.
    const s = loadSettings(
      dataDir({ 'REG.MIN_EXPIRES': 3600, 'REG.DEFAULT_EXPIRES': 9000, 'REG.MAX_EXPIRES': 10000 }),
      {},
    );
    expect([s.int('REG.MIN_EXPIRES'), s.int('REG.DEFAULT_EXPIRES')]).toEqual([3600, 9000]);
  });

  it('takes TRACE.HEP_COLLECTOR as host:port only, refusing spaces, at start and by SET CFG', () => {
    const wanted =
      'TRACE.HEP_COLLECTOR: must be host:port, like 10.0.0.5:9060, homer.lab:9060 or [2001:db8::5]:9060 (no spaces), or empty (got ';
    const s = loadSettings(dataDir(), {});
    for (const bad of [
      '127.0.0.1 :9060',
      'host :9060',
      'my host:9060',
      '127.0.0.1: 9060',
      'host 9060',
      '::1:9060',
    ]) {
      expect(error(() => s.change('TRACE.HEP_COLLECTOR', bad)).message).toBe(
        `${wanted}${JSON.stringify(bad)})`,
      );
      expect(s.str('TRACE.HEP_COLLECTOR')).toBe('');
    }
    for (const bad of ['host', 'host:0', 'host:65536', 'http://host:9060', '[host]:9060', '10.0.0.300:9060x'])
      expect(() => s.set('TRACE.HEP_COLLECTOR', bad), bad).toThrow(/must be host:port/);
    for (const good of [
      '127.0.0.1:9060',
      'homer.lab:9060',
      'homer:9060',
      '[::1]:9060',
      ' 10.0.0.5:9060 ',
      '',
    ])
      expect(s.set('TRACE.HEP_COLLECTOR', good), good).toBe(good.trim());
    const dir = dataDir({ 'TRACE.HEP_COLLECTOR': '127.0.0.1: 9060' });
    expect(error(() => loadSettings(dir, {})).message).toBe(
      `${join(dir, 'config.json')} ${wanted}"127.0.0.1: 9060")`,
    );
  });

  it('coerces typed values on set', () => {
    const s = new Settings();
    // An address to advertise: a literal IP, not the unspecified one (0.0.0.0 in SDP means hold).
    expect(s.set('DIALER.LOCAL_IP', '192.0.2.7')).toBe('192.0.2.7');
    expect(s.set('DIALER.LOCAL_IP', '')).toBe('');
    for (const bad of ['0.0.0.0', '::', 'not an ip'])
      expect(error(() => s.set('DIALER.LOCAL_IP', bad)).message).toMatch(/an IP address others can reach/);
    expect(s.set('sip.tcp', 'no')).toBe(false);
    expect(s.set('LOG.LEVEL', 'warning')).toBe('WARNING');
    expect(error(() => s.set('AUTH.ALGORITHMS', 'MD5,SHA-512')).message).toBe(
      'AUTH.ALGORITHMS: must be a comma list of MD5, SHA-256 (got "SHA-512")',
    );
  });
});

describe('settings changed at run time', () => {
  it('records where each value comes from', () => {
    const s = loadSettings(dataDir({ 'reg.min_expires': 30 }), { SIP_PORT: '5070' });
    expect(s.source('REG.MIN_EXPIRES')).toBe('file');
    expect(s.source('sip.port')).toBe('env');
    expect(s.source('LOG.LEVEL')).toBe('default');
    s.change('LOG.LEVEL', 'debug');
    expect(s.source('LOG.LEVEL')).toBe('mml');
    expect(error(() => s.source('NO.SUCH')).message).toBe('NO.SUCH: unknown setting');
  });

  it('change() validates, tells the listeners, and is undone when a listener fails', () => {
    const s = new Settings();
    const seen: unknown[] = [];
    const off = s.onChange((c) => seen.push(c));
    expect(s.change('reg.min_expires', '30')).toEqual({
      key: 'REG.MIN_EXPIRES',
      value: 30,
      previous: 60,
      restart: false,
    });
    expect(seen).toEqual([{ key: 'REG.MIN_EXPIRES', value: 30, previous: 60, restart: false }]);
    expect(error(() => s.change('REG.MIN_EXPIRES', '0')).message).toBe(
      'REG.MIN_EXPIRES: must be a whole number of seconds from 1 to 3600 (got "0")',
    );
    expect(s.int('REG.MIN_EXPIRES')).toBe(30);
    off();

    s.onChange(() => {
      throw new Error('cannot re-derive');
    });
    expect(error(() => s.change('AUTH.REALM', 'other')).message).toBe(
      'AUTH.REALM: cannot be applied: cannot re-derive',
    );
    expect(s.str('AUTH.REALM')).toBe('ims.lab');
    expect(s.source('AUTH.REALM')).toBe('default');
    expect(s.unsaved()).toEqual(['REG.MIN_EXPIRES']);
    expect(seen).toHaveLength(1);
  });

  it('change() keeps ordered settings in order, saying which to change first', () => {
    const s = new Settings();
    expect(error(() => s.change('REG.MAX_EXPIRES', 100)).message).toBe(
      'REG.MAX_EXPIRES: must be at least REG.DEFAULT_EXPIRES (3600), got 100: to move both below it, set REG.DEFAULT_EXPIRES first',
    );
    expect(error(() => s.change('DIALER.RTP_PORT_MIN', 30000)).message).toBe(
      'DIALER.RTP_PORT_MIN: must be below DIALER.RTP_PORT_MAX (30000), got 30000: to move both above it, set DIALER.RTP_PORT_MAX first',
    );
    expect(s.int('REG.MAX_EXPIRES')).toBe(7200);
    expect(s.unsaved()).toEqual([]);
    s.change('REG.MAX_EXPIRES', 90000);
    s.change('REG.DEFAULT_EXPIRES', 9000);
    s.change('REG.MIN_EXPIRES', 3000);
    expect(error(() => s.change('REG.DEFAULT_EXPIRES', 100)).message).toMatch(
      /at least REG\.MIN_EXPIRES \(3000\)/,
    );
  });

  it('tracks unsaved changes and those waiting for a restart', () => {
    const s = new Settings();
    s.change('SIP.PORT', 6000);
    s.change('TIMER.T1', 400);
    expect(s.unsaved()).toEqual(['SIP.PORT', 'TIMER.T1']);
    expect(s.pendingRestart()).toEqual(['SIP.PORT']);
    s.change('SIP.PORT', '5060');
    expect(s.pendingRestart()).toEqual([]);
    expect(s.toJSON()).toMatchObject({ 'SIP.PORT': 5060, 'TIMER.T1': 400, 'LOG.LEVEL': 'INFO' });
    expect(Object.keys(s.toJSON())).toEqual(SETTINGS.map((d) => d.key));
  });

  it('a change back to the value in force before is no change to save, and keeps its source', () => {
    const dir = dataDir({ 'TIMER.T1': 300 });
    const s = loadSettings(dir, { SIP_PORT: '27200' });
    s.change('TIMER.T1', 300);
    s.change('CDR.OPTIONS', s.get('CDR.OPTIONS'));
    expect(s.unsaved()).toEqual([]);
    s.change('SIP.PORT', 27299);
    expect([s.unsaved(), s.source('SIP.PORT')]).toEqual([['SIP.PORT'], 'mml']);
    s.change('SIP.PORT', '27200');
    expect([s.unsaved(), s.source('SIP.PORT'), s.source('TIMER.T1')]).toEqual([[], 'env', 'file']);
    // After a save, the saved value is the one to come back to.
    s.change('TIMER.T1', 450);
    s.save(dir);
    s.change('TIMER.T1', 300);
    expect(s.unsaved()).toEqual(['TIMER.T1']);
    s.change('TIMER.T1', 450);
    expect(s.unsaved()).toEqual([]);
  });

  it('save() merges the changes into config.json through a rename and loads back', () => {
    const dir = dataDir({ 'timer.t1': 300, 'REG.MAX_EXPIRES': 3600 });
    const s = loadSettings(dir, {});
    expect(s.save(dir)).toEqual({ file: join(dir, 'config.json'), keys: [] });
    s.change('TIMER.T1', 450);
    s.change('AUTH.ALGORITHMS', 'sha-256');
    expect(s.save(dir)).toEqual({ file: join(dir, 'config.json'), keys: ['AUTH.ALGORITHMS', 'TIMER.T1'] });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      'REG.MAX_EXPIRES': 3600,
      'AUTH.ALGORITHMS': ['SHA-256'],
      'TIMER.T1': 450,
    });
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(s.unsaved()).toEqual([]);
    const again = loadSettings(dir, {});
    expect([again.int('TIMER.T1'), again.list('AUTH.ALGORITHMS'), again.int('REG.MAX_EXPIRES')]).toEqual([
      450,
      ['SHA-256'],
      3600,
    ]);
  });

  it('save() writes config.json readable by its owner only (it may hold DIALER.PASSWORD), tightening an old one', () => {
    const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);
    const dir = dataDir();
    const file = join(dir, 'config.json');
    const s = new Settings();
    s.change('DIALER.PASSWORD', 'not for others');
    s.save(dir);
    expect(mode(file)).toBe('600');
    // A file written before (mode 0644), and a temporary file a crash left behind with that mode.
    chmodSync(file, 0o644);
    writeFileSync(`${file}.${process.pid}.tmp`, '{}', { mode: 0o644 });
    chmodSync(`${file}.${process.pid}.tmp`, 0o644);
    s.change('LOG.LEVEL', 'DEBUG');
    s.save(dir);
    expect(mode(file)).toBe('600');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      'DIALER.PASSWORD': 'not for others',
      'LOG.LEVEL': 'DEBUG',
    });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('save() creates config.json, and refuses to overwrite one that is not a JSON object', () => {
    const dir = dataDir();
    const s = new Settings();
    s.change('LOG.LEVEL', 'ERROR');
    s.save(dir);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ 'LOG.LEVEL': 'ERROR' });
    writeFileSync(join(dir, 'config.json'), '[1]');
    s.change('LOG.LEVEL', 'INFO');
    expect(error(() => s.save(dir)).message).toMatch(
      /config\.json: expected a JSON object; not overwritten$/,
    );
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('[1]');
    expect(s.unsaved()).toEqual(['LOG.LEVEL']);
  });
});

describe('proxy settings', () => {
  it('challenges INVITE, MESSAGE, OPTIONS, SUBSCRIBE, REFER, PUBLISH and NOTIFY by default, and takes a list', () => {
    const s = new Settings();
    expect(s.list('PROXY.AUTH_METHODS')).toEqual([
      'INVITE',
      'MESSAGE',
      'OPTIONS',
      'SUBSCRIBE',
      'REFER',
      'PUBLISH',
      'NOTIFY',
    ]);
    s.set('PROXY.AUTH_METHODS', 'invite, options');
    expect(s.list('PROXY.AUTH_METHODS')).toEqual(['invite', 'options']);
    s.set('PROXY.AUTH_METHODS', '');
    expect(s.list('PROXY.AUTH_METHODS')).toEqual([]);
    expect(s.str('PROXY.FORKING')).toBe('PARALLEL');
  });
});

describe('SIP_DOMAINS (Docker)', () => {
  it('sets SIP.DOMAINS from a comma list in the environment', () => {
    const s = loadSettings(dataDir(), { SIP_DOMAINS: 'ims.lab, lab.example' });
    expect(s.list('SIP.DOMAINS')).toEqual(['ims.lab', 'lab.example']);
    expect(s.source('SIP.DOMAINS')).toBe('env');
    expect(loadSettings(dataDir(), {}).list('SIP.DOMAINS')).toEqual([]);
  });
});

describe('config.json in another encoding than UTF-8', () => {
  it('is refused naming the file and the line, not read with replacement characters', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'config.json'), Buffer.from('{"AUTH.REALM": "r\xe9alm"}', 'latin1'));
    expect(error(() => loadSettings(dir, {})).message).toBe(
      `${join(dir, 'config.json')}: is not UTF-8 text (line 1: GBK, Latin-1 or binary bytes): save it as UTF-8`,
    );
  });

  it('is refused as UTF-16 when it is', () => {
    const dir = dataDir();
    const utf16 = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{}', 'utf16le').swap16()]);
    writeFileSync(join(dir, 'config.json'), utf16);
    expect(error(() => loadSettings(dir, {})).message).toContain('config.json: is UTF-16 text');
  });

  it('is read with a UTF-8 byte order mark, and in UTF-8 whatever its letters', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'config.json'), `\ufeff${JSON.stringify({ 'AUTH.REALM': '实验室.lab' })}`);
    expect(loadSettings(dir, {}).str('AUTH.REALM')).toBe('实验室.lab');
  });

  it('is not overwritten by SAVE CFG', () => {
    const dir = dataDir();
    const s = loadSettings(dir, {});
    s.change('TIMER.T1', 450);
    const latin1 = Buffer.from('{"AUTH.REALM": "r\xe9alm"}', 'latin1');
    writeFileSync(join(dir, 'config.json'), latin1);
    expect(error(() => s.save(dir)).message).toContain('is not UTF-8 text');
    expect(readFileSync(join(dir, 'config.json'))).toEqual(latin1);
  });
});

describe('the dialer: an RTP range with no port pair, and its SIP port on SIP.PORT', () => {
  it('refuses an RTP range holding no even port with the next one (RFC 3550 §11), in SET CFG and config.json', () => {
    const s = new Settings();
    expect(error(() => s.change('DIALER.RTP_PORT_MIN', 29999)).message).toBe(
      'DIALER.RTP_PORT_MIN: leaves the RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (29999..30000) no even port with the next one above it: each call takes such a pair (RTP, RTCP)',
    );
    expect(s.int('DIALER.RTP_PORT_MIN')).toBe(20000);
    expect(s.change('DIALER.RTP_PORT_MIN', 29998).value).toBe(29998);
    const dir = dataDir({ 'DIALER.RTP_PORT_MIN': 29999 });
    expect(error(() => loadSettings(dir, {})).message).toMatch(
      new RegExp(
        `^${join(dir, 'config.json')} DIALER\\.RTP_PORT_MIN: leaves the RTP range .*\\(29999\\.\\.30000\\) no even port`,
      ),
    );
  });

  it("refuses a DIALER.LOCAL_PORT inside the dialer's RTP range, at start and by SET CFG, naming the clash", () => {
    const s = loadSettings(dataDir(), {});
    expect(error(() => s.change('DIALER.LOCAL_PORT', 25000)).message).toBe(
      "DIALER.LOCAL_PORT: cannot be 25000: 25000 is inside the dialer's RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (20000..30000): give the dialer's SIP port one outside it, or 0 for a free one",
    );
    expect(s.int('DIALER.LOCAL_PORT')).toBe(10000);
    // From the range's side: moved over the dialer's SIP port.
    expect(error(() => s.change('DIALER.RTP_PORT_MIN', 9000)).message).toBe(
      "DIALER.RTP_PORT_MIN: puts DIALER.LOCAL_PORT (10000), the dialer's SIP port, inside the RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (9000..30000): keep the range clear of it, or set the dialer's ports in one command, checked together: SET CFG KEY=DIALER.RTP_PORT_MIN VALUE=9000 RTP_PORT_MAX=<max> LOCAL_PORT=<port>",
    );
    expect(s.int('DIALER.RTP_PORT_MIN')).toBe(20000);
    expect(s.change('DIALER.LOCAL_PORT', 30001).value).toBe(30001);
    expect(s.change('DIALER.LOCAL_PORT', 0).value).toBe(0);
    expect(s.change('DIALER.RTP_PORT_MIN', 9000).value).toBe(9000); // 0: a free port, no clash
    // At start: the key given in config.json is named, with the file.
    const dir = dataDir({ 'DIALER.LOCAL_PORT': 20002 });
    expect(error(() => loadSettings(dir, {})).message).toBe(
      `${join(dir, 'config.json')} DIALER.LOCAL_PORT: 20002 is inside the dialer's RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (20000..30000): give the dialer's SIP port one outside it, or 0 for a free one`,
    );
    const range = dataDir({ 'DIALER.RTP_PORT_MIN': 5000 });
    expect(error(() => loadSettings(range, {})).message).toMatch(
      /config\.json DIALER\.RTP_PORT_MIN: puts DIALER\.LOCAL_PORT \(10000\), the dialer's SIP port, inside the RTP range DIALER\.RTP_PORT_MIN\.\.DIALER\.RTP_PORT_MAX \(5000\.\.30000\)/,
    );
  });

  it('refuses a DIALER.LOCAL_IP that is no address of this machine by SET CFG; at start, one whose interface is down lets the start go on, named', () => {
    const s = loadSettings(dataDir(), {});
    const reason =
      "the address 192.0.2.1 is not one of this machine's: the dialer's SIP and RTP sockets cannot bind it (empty: the server's address)";
    expect(error(() => s.change('DIALER.LOCAL_IP', '192.0.2.1')).message).toBe(
      `DIALER.LOCAL_IP: cannot be 192.0.2.1: ${reason}`,
    );
    expect(s.str('DIALER.LOCAL_IP')).toBe('');
    expect(s.change('DIALER.LOCAL_IP', '127.0.0.1').value).toBe('127.0.0.1');
    expect(s.change('DIALER.LOCAL_IP', '').value).toBe('');
    // Set when its interface was up, which is down at this start: only STR DIALSVC binds it, so the
    // registrar and proxy start; the appliance's WARNING and STR DIALSVC's refusal say why and the fix.
    const dir = dataDir({ 'DIALER.LOCAL_IP': '192.0.2.1' });
    expect(loadSettings(dir, {}).str('DIALER.LOCAL_IP')).toBe('192.0.2.1');
    expect(dialerAddressProblem('192.0.2.1')).toBe(
      'DIALER.LOCAL_IP 192.0.2.1 is not an address of this machine now (its interface down, or the address gone): the auto dialer cannot start (STR DIALSVC) until it is, the rest of IMS Lab runs; bring the interface up, or give the dialer another address: SET CFG KEY=DIALER.LOCAL_IP VALUE="" (the server\'s own), then SAVE CFG',
    );
    expect(zhMessage(dialerAddressProblem('192.0.2.1')!)).toMatch(
      /^DIALER\.LOCAL_IP 192\.0\.2\.1 目前不是本机的地址/,
    );
    const up = { eth1: [{ address: '192.0.2.1' } as NetworkInterfaceInfo] };
    expect([
      dialerAddressProblem('192.0.2.1', up),
      dialerAddressProblem('127.0.0.1'),
      dialerAddressProblem(''),
    ]).toEqual([undefined, undefined, undefined]);
    expect(() => loadSettings(dataDir({ 'DIALER.LOCAL_IP': '127.0.0.1' }), {})).not.toThrow();
  });

  it("refuses SET CFG of DIALER.LOCAL_PORT to IMS Lab's own SIP port", () => {
    const s = loadSettings(dataDir(), { SIP_PORT: '22200' });
    expect(error(() => s.change('DIALER.LOCAL_PORT', 22200)).message).toBe(
      "DIALER.LOCAL_PORT: cannot be 22200: it is SIP.PORT, IMS Lab's own SIP port: give the dialer another port, or 0 for a free one",
    );
    expect(s.change('DIALER.LOCAL_PORT', 0).value).toBe(0);
  });
});

describe('list settings given an item twice', () => {
  it('keep each item once, in the order first given (a host name in any case is one name)', () => {
    const s = new Settings();
    expect(s.change('AUTH.ALGORITHMS', 'MD5,MD5,sha-256,MD5').value).toEqual(['MD5', 'SHA-256']);
    expect(s.change('SIP.DOMAINS', 'a.lab,A.LAB,b.lab,a.lab').value).toEqual(['a.lab', 'b.lab']);
    // A method token is case-sensitive (RFC 3261 §7.1): "invite" is another method.
    expect(s.change('PROXY.AUTH_METHODS', 'INVITE,INVITE,invite').value).toEqual(['INVITE', 'invite']);
    const file = loadSettings(dataDir({ 'AUTH.ALGORITHMS': ['SHA-256', 'SHA-256', 'MD5'] }), {});
    expect(file.list('AUTH.ALGORITHMS')).toEqual(['SHA-256', 'MD5']);
  });
});
