// Generates the app icons from resources/icon.svg: `node resources/make-icons.mjs` (then commit them).
// Chromium (Debian's, through Playwright) draws the SVG at each size; this script packs the results:
//   icons/<N>x<N>.png  Linux icon set (electron-builder linux.icon) and the window icon, 16..1024
//   icon.png           1024x1024, for any builder that wants one picture
//   icon.ico           Windows (nsis, the .exe): 16..128 as 32-bit BMP, 256 as PNG
//   icon.icns          macOS (dmg, the .app): PNG entries 16..1024, standard and @2x
/* global Image, document -- the drawing runs in the page, through page.evaluate */
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS types with PNG payloads (Apple's iconutil names), by pixel size. */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['icp6', 64],
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128@2x
  ['ic09', 512],
  ['ic14', 512], // 256@2x
  ['ic10', 1024], // 512@2x
];

/** { size: { png: Buffer, rgba: Buffer } } drawn by Chromium from the SVG. */
async function render(svg) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const drawn = await page.evaluate(
      async ({ svg, sizes }) => {
        const img = new Image();
        img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
        await img.decode();
        const out = {};
        for (const size of sizes) {
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = size;
          const ctx = canvas.getContext('2d');
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(img, 0, 0, size, size);
          const rgba = ctx.getImageData(0, 0, size, size).data;
          let binary = '';
          for (let i = 0; i < rgba.length; i += 0x8000)
            binary += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
          out[size] = { png: canvas.toDataURL('image/png').split(',')[1], rgba: btoa(binary) };
        }
        return out;
      },
      { svg, sizes: SIZES },
    );
    const result = {};
    for (const [size, { png, rgba }] of Object.entries(drawn))
      result[size] = { png: Buffer.from(png, 'base64'), rgba: Buffer.from(rgba, 'base64') };
    return result;
  } finally {
    await browser.close();
  }
}

/** A 32-bit BMP (DIB) as an ICO entry holds it: bottom-up BGRA, then an all-clear AND mask. */
function icoBitmap(size, rgba) {
  const maskRow = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR + AND bitmaps
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
    }
  }
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

function ico(images) {
  const entries = ICO_SIZES.map((size) => ({
    size,
    data: size >= 256 ? images[size].png : icoBitmap(size, images[size].rgba),
  }));
  const head = Buffer.alloc(6);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // icon
  head.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const dir = entries.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([head, ...dir, ...entries.map((e) => e.data)]);
}

function icns(images) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + images[size].png.length, 4);
    return Buffer.concat([head, images[size].png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

const images = await render(readFileSync(join(HERE, 'icon.svg'), 'utf8'));
mkdirSync(join(HERE, 'icons'), { recursive: true });
for (const size of SIZES) writeFileSync(join(HERE, 'icons', `${size}x${size}.png`), images[size].png);
writeFileSync(join(HERE, 'icon.png'), images[1024].png);
writeFileSync(join(HERE, 'icon.ico'), ico(images));
writeFileSync(join(HERE, 'icon.icns'), icns(images));
console.log(`icons written to ${HERE}: ${SIZES.join(', ')} px; icon.png, icon.ico, icon.icns`);
