// Building MML command text from form values: the same text a person would type (DESIGN.md, One
// command language). Values with anything but plain characters are quoted, with \" and \\ escaped
// (core/mml/grammar.ts).

export function quote(value: string): string {
  if (/^[A-Za-z0-9_.@+\-*#:/]+$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `VERB OBJECT:K=V,K=V` with empty values left out. */
export function mml(command: string, params: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${quote(String(v))}`);
  return parts.length === 0 ? command : `${command}:${parts.join(',')}`;
}
