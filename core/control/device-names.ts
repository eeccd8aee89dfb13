// File names Windows keeps for devices: CON, PRN, AUX, NUL, COM0-9 and LPT0-9 (with ¹ ² ³ too), in any
// case, whatever follows the first dot (Microsoft's "Naming Files, Paths, and Namespaces"). A prompt or
// an upload saved as `CON.wav` on the desktop app's Windows build opens the console device, not a file.

const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/iu;

/** Whether `name` (a plain file name) names a Windows device: its part before the first dot is one. */
export function isDeviceName(name: string): boolean {
  const dot = name.indexOf('.');
  return DEVICE.test(dot < 0 ? name : name.slice(0, dot));
}

/** `name`, with `_` after its part before the first dot when that names a device (`CON.x` → `CON_.x`). */
export function besideDeviceName(name: string): string {
  if (!isDeviceName(name)) return name;
  const dot = name.indexOf('.');
  return dot < 0 ? `${name}_` : `${name.slice(0, dot)}_${name.slice(dot)}`;
}
