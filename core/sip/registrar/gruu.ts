// Globally Routable User agent URIs (RFC 5627): a URI that reaches one device of a user, not all of them.
// A phone that registers with `Supported: gruu` and a `+sip.instance` on its Contact (Linphone does,
// and IMS phones must, 3GPP TS 24.229 §5.1.1.2) is given two in the 200 (§6.2):
//   public:    the AOR with the instance ID in `gr` (§3.1), sip:1001@ims.lab;gr=urn:uuid:…, always the same
//   temporary: sip:tgruu.<token>@ims.lab;gr (§3.2), which does not say who it is; a new one at every
//              REGISTER, each valid while the binding it was made for lasts (once the instance's binding
//              has gone and it registers anew, the old ones no longer reach it)
// The token is the user, instance and binding's creation time sealed with AES-256-GCM under a key of
// the appliance's (derived from secret.key, so tokens outlive a restart as the bindings do): no table to
// keep, and nobody can forge one or read whose it is. The proxy (target-set.ts) routes both (§7).
// A binding's temporary GRUU is the one its latest REGISTER was given: the IV is derived (HMAC under a
// key of its own) from what is sealed plus that REGISTER's Call-ID and CSeq, so the reg event's NOTIFY
// carries the very GRUU the 200 handed out (RFC 5628 §3.1, RFC 5627 §5.4: the most recent one, with the
// CSeq of the REGISTER that made it), and the next REGISTER makes a new, unlinkable one. One IV is only
// ever used for one plaintext (it is a function of it: a synthetic IV), so GCM's nonce rule holds.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import type { Binding } from './binding';
import { instanceOf, publicGruu } from './instance';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const TEMP_PREFIX = 'tgruu.';

/** What a temporary GRUU names. */
export interface TemporaryGruu {
  user: string;
  instance: string;
  /** The binding's createdAt when the GRUU was made: a later binding of the instance is another. */
  createdAt: number;
}

export class GruuMaker {
  private readonly key: Buffer;
  /** The key of the synthetic IVs (another HKDF output than the cipher's). */
  private readonly ivKey: Buffer;

  /** `secret`: the appliance's key; the GRUU keys are derived from it (HKDF), never the key itself. */
  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'ims-lab temp-gruu', 32));
    this.ivKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'ims-lab temp-gruu iv', 32));
  }

  /** Both GRUUs of a binding with an instance ID (its AOR is `sip:<user>@<domain>`, the registrar's). */
  gruusOf(b: Binding, domain: string): { pub: string; temp: string } | undefined {
    const instance = instanceOf(b.contactParams);
    if (instance === undefined) return undefined;
    const user = b.aor.slice(b.aor.indexOf(':') + 1, b.aor.lastIndexOf('@'));
    return {
      pub: publicGruu(b.aor, instance),
      temp: this.temporaryGruu(domain, { user, instance, createdAt: b.createdAt }, `${b.callId}\n${b.cseq}`),
    };
  }

  /**
   * §3.2: an opaque user at our domain, and `gr` without a value; the one of the REGISTER `register`
   * (its Call-ID and CSeq) names, the same each time it is asked for.
   */
  temporaryGruu(domain: string, g: TemporaryGruu, register: string): string {
    const plain = `${g.user}\n${g.instance}\n${g.createdAt}`;
    const iv = createHmac('sha256', this.ivKey)
      .update(`${plain}\n${register}`)
      .digest()
      .subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const token = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    return `sip:${TEMP_PREFIX}${token}@${domain};gr`;
  }

  /** What a temporary GRUU's user part names; undefined for one we did not make (or altered). */
  readTemporary(user: string): TemporaryGruu | undefined {
    if (!user.startsWith(TEMP_PREFIX)) return undefined;
    const bytes = Buffer.from(user.slice(TEMP_PREFIX.length), 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const [name, instance, createdAt] = text.toString('utf8').split('\n');
      if (name === undefined || instance === undefined || createdAt === undefined) return undefined;
      return { user: name, instance, createdAt: Number(createdAt) };
    } catch {
      return undefined; // not sealed with our key: a forged or altered token
    }
  }
}
