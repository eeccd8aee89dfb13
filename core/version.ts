import pkg from '../package.json' with { type: 'json' };

/** The appliance version, from package.json (bundled in at build time). */
export const IMS_VERSION: string = pkg.version;
