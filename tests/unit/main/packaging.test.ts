// Packaging (electron-builder.yml) checked with electron-builder's own loader and schema, and the icons
// it names read back: PNGs of the sizes their names say, an ICO and an ICNS whose entries hold them.
// (`npm run dist` itself needs Electron's binary, which cannot be downloaded here.)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  files: { filter: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}

/** electron-builder.yml as electron-builder loads it (internal module of app-builder-lib 26). */
async function builderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, file: string, options: null): Promise<unknown>;
    validateConfiguration(config: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
  await validateConfiguration(config, { isEnabled: false, add: () => undefined });
  return config as BuilderConfig;
}

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema and says what the issue asks', async () => {
    const c = await builderConfig();
    expect(c.appId).toBe('lab.ims.app');
    expect(c.productName).toBe('IMS Lab');
    expect(c.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(c.npmRebuild).toBe(true);
    const files = c.files.flatMap((f) => f.filter);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json', 'media/**', 'resources/**']));
    expect(c.extraResources).toContainEqual({ from: 'media/', to: 'media' });
    // Electron's fuses: no running as Node, no NODE_OPTIONS or --inspect, code from app.asar only.
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app package.json names: main out/main/index.js, `npm run dist` runs electron-builder', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder/);
  });

  it('has the metadata the .deb target needs: a homepage, a maintainer (electron-builder FpmTarget)', async () => {
    const { readPackageJson } = require('app-builder-lib/out/util/packageMetadata.js') as {
      readPackageJson(file: string): Promise<{ author?: unknown }>;
    };
    const { AppInfo } = require('app-builder-lib/out/appInfo.js') as {
      AppInfo: new (info: unknown) => { computePackageUrl(): Promise<string | null> };
    };
    const metadata = await readPackageJson(join(ROOT, 'package.json'));
    const config = (await builderConfig()) as BuilderConfig & { linux: { maintainer?: string } };
    // No GitHub remote to fall back on (a clone from an internal server or a local path).
    const info = { metadata, devMetadata: metadata, config, repositoryInfo: Promise.resolve(null) };
    expect(await new AppInfo(info).computePackageUrl()).toMatch(/^https:\/\//);
    expect(config.linux.maintainer).toBeTruthy();
    // Without an author every run warns "author is missed in the package.json".
    expect(metadata.author).toBeTruthy();
  });

  it('names icons that exist, at every size each target needs', async () => {
    const c = await builderConfig();
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const file = join(ROOT, c.linux.icon, `${size}x${size}.png`);
      expect(pngSize(readFileSync(file)), file).toEqual({ width: size, height: size });
    }
    expect(pngSize(readFileSync(join(ROOT, 'resources', 'icon.png')))).toEqual({ width: 1024, height: 1024 });
    // The window icon main/index.ts sets.
    expect(existsSync(join(ROOT, 'resources', 'icons', '512x512.png'))).toBe(true);
  });

  it('has a Windows .ico with 16..256 (BMP below 256, PNG at 256)', async () => {
    const ico = readFileSync(join(ROOT, (await builderConfig()).win.icon));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const size = ico.readUInt8(e) || 256;
      const length = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const data = ico.subarray(offset, offset + length);
      if (size === 256) {
        expect(pngSize(data)).toEqual({ width: 256, height: 256 });
      } else {
        // BITMAPINFOHEADER: 40 bytes, width, twice the height (colour + mask), 32 bits per pixel.
        expect([
          data.readUInt32LE(0),
          data.readInt32LE(4),
          data.readInt32LE(8),
          data.readUInt16LE(14),
        ]).toEqual([40, size, size * 2, 32]);
        expect(length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      }
      sizes.push(size);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('has a macOS .icns whose entries are PNGs of their types’ sizes, up to 1024', async () => {
    const icns = readFileSync(join(ROOT, (await builderConfig()).mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const expected: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      ic11: 32,
      icp6: 64,
      ic12: 64,
      ic07: 128,
      ic08: 256,
      ic13: 256,
      ic09: 512,
      ic14: 512,
      ic10: 1024,
    };
    const seen: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('ascii');
      const length = icns.readUInt32BE(at + 4);
      const size = expected[type];
      expect(size, type).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + length))).toEqual({ width: size, height: size });
      seen.push(type);
      at += length;
    }
    expect(seen.sort()).toEqual(Object.keys(expected).sort());
  });
});
