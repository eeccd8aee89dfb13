// The rules for a subscriber's fields. Each check returns what is wrong with a value (for a message
// naming the field) or undefined when it is fine; callers turn that into a StoreError. Values may come
// from MML or a JSON import, so checks take unknown and verify the type too.
import { SIP_USER_NAME } from '../config/setting-formats';
import { SERVICE_TYPES, USER_STATUSES } from './types';
import type { ServiceType, UserStatus } from './types';

/** Characters, not UTF-16 units: 用户1001 is six. */
const length = (s: string): number => [...s].length;

// A SIP user part that needs no escaping (setting-formats.ts: DIALER.USERNAME takes the same).
const USERNAME = SIP_USER_NAME;
const PHONE = /^[0-9+*#() -]{1,32}$/;
// Plausible, not RFC 5322: something@domain, no spaces, controls or second @.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)*$/u;
const CONTROL = /\p{Cc}/u;
/** A lone UTF-16 surrogate (JSON's "\ud800"): no character, it would be stored as U+FFFD. */
export const LONE_SURROGATE = /\p{Cs}/u;
/** What a text holding a lone surrogate is told (MML's text parameters say the same). */
export const LONE_SURROGATE_PROBLEM = 'must not contain a lone UTF-16 surrogate (it is no Unicode text)';

export type FieldCheck = (value: unknown) => string | undefined;

export const checkUsername: FieldCheck = (v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : USERNAME.test(v)
      ? undefined
      : `must be 1..64 characters of A-Z a-z 0-9 . _ + -, got "${v}"`;

/**
 * Never echoes the value. No control characters, as ADD USER and MOD USER take none (MML text): one rule
 * for every way in (IMP USER, `users import`, the SIPp CSV), so a user imported can be set again by MML.
 */
export const checkPassword: FieldCheck = (v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : length(v) < 1 || length(v) > 128
      ? 'must be 1..128 characters'
      : CONTROL.test(v)
        ? 'must not contain control characters'
        : LONE_SURROGATE.test(v)
          ? LONE_SURROGATE_PROBLEM
          : undefined;

export const checkDisplayName: FieldCheck = (v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : length(v) > 128
      ? `must be at most 128 characters, got ${length(v)}`
      : CONTROL.test(v)
        ? 'must not contain control characters'
        : LONE_SURROGATE.test(v)
          ? LONE_SURROGATE_PROBLEM
          : undefined;

export const checkPhone: FieldCheck = (v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : v === '' || PHONE.test(v)
      ? undefined
      : `must be empty or 1..32 of 0-9 + * # ( ) - and space, got "${v}"`;

export const checkEmail: FieldCheck = (v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : v === '' || (v.length <= 254 && EMAIL.test(v))
      ? undefined
      : `must be empty or an address like name@example.com, got "${v}"`;

export const checkStatus: FieldCheck = (v) =>
  USER_STATUSES.includes(v as UserStatus)
    ? undefined
    : `must be one of ${USER_STATUSES.join(', ')}, got ${JSON.stringify(v)}`;

export const checkServiceType: FieldCheck = (v) =>
  SERVICE_TYPES.includes(v as ServiceType)
    ? undefined
    : `must be one of ${SERVICE_TYPES.join(', ')}, got ${JSON.stringify(v)}`;

/** The original's default display name (reference §4.1). */
export const defaultDisplayName = (username: string): string => `用户${username}`;
