// The Users view's state: the search, the page shown (the store pages by offset), and the form of the
// add/edit dialog turned into the MML command it runs.
import { create } from 'zustand';
import type { ExecuteResult, UserData } from '../../../../core/control/contract';
import { RETCODE } from '../../../../core/mml/command';
import { mml } from '../../api/mml-text';

export const USERS_PAGE = 1000;

export interface UserForm {
  username: string;
  password: string;
  displayName: string;
  phone: string;
  email: string;
  status: string;
  service: string;
}

export const emptyForm = (): UserForm => ({
  username: '',
  password: '',
  displayName: '',
  phone: '',
  email: '',
  status: 'ACTIVE',
  service: 'BASIC',
});

export const formOf = (u: UserData): UserForm => ({
  username: u.username,
  password: '',
  displayName: u.displayName,
  phone: u.phone,
  email: u.email,
  status: u.status,
  service: u.serviceType,
});

/**
 * The add/edit dialog left open and what its form held, its password left out (never kept): it is opened
 * again so after the login page (a session that ended under it) or a visit to another view; memory only.
 */
export interface UserDraft {
  user: UserData | null;
  form: UserForm;
}

export const useUserDraft = create<{ draft: UserDraft | null }>()(() => ({ draft: null }));

/**
 * ADD USER for a new user; MOD USER with only the fields that changed (an empty password: unchanged),
 * IF_UPDATED= the user's Updated time as the form read it: the server refuses the change if another
 * operator changed the user since (core/store/update-time.ts), instead of overwriting it unseen.
 */
export function userCommand(form: UserForm, before: UserData | null): string | null {
  if (before === null) {
    return mml('ADD USER', {
      USERNAME: form.username.trim(),
      PASSWORD: form.password,
      DISPLAYNAME: form.displayName,
      PHONE: form.phone,
      EMAIL: form.email,
      STATUS: form.status,
      SERVICE: form.service,
    });
  }
  const changed: Record<string, string> = {};
  if (form.password !== '') changed.PASSWORD = form.password;
  if (form.displayName !== before.displayName) changed.DISPLAYNAME = form.displayName;
  if (form.phone !== before.phone) changed.PHONE = form.phone;
  if (form.email !== before.email) changed.EMAIL = form.email;
  if (form.status !== before.status) changed.STATUS = form.status;
  if (form.service !== before.serviceType) changed.SERVICE = form.service;
  if (Object.keys(changed).length === 0) return null;
  return mml('MOD USER', { USERNAME: before.username, ...changed, IF_UPDATED: before.updateTime });
}

/** The form's field for each ADD / MOD USER parameter. */
const FIELD_OF: Record<string, keyof UserForm> = {
  USERNAME: 'username',
  PASSWORD: 'password',
  DISPLAYNAME: 'displayName',
  PHONE: 'phone',
  EMAIL: 'email',
  STATUS: 'status',
  SERVICE: 'service',
};

/**
 * The field a refused ADD / MOD USER is about: the parameter its message names ("Parameter EMAIL: ...",
 * "参数 EMAIL 错误: ..."), the username when the user exists already; null when it names none, or for
 * a refusal no field is at fault in (the user changed since: its message names DSP USER USERNAME=).
 */
export function faultField(r: ExecuteResult): keyof UserForm | null {
  const bad = r.results.find((x) => x.retcode !== RETCODE.OK);
  if (bad === undefined || bad.retcode === RETCODE.OPERATION_FAILED) return null;
  const named = /\b(USERNAME|PASSWORD|DISPLAYNAME|PHONE|EMAIL|STATUS|SERVICE)\b/.exec(bad.message)?.[1];
  if (named !== undefined) return FIELD_OF[named]!;
  return bad.retcode === RETCODE.ALREADY_EXISTS ? 'username' : null;
}

interface UsersState {
  search: string;
  offset: number;
  users: UserData[];
  total: number;
  setSearch(search: string): void;
  setOffset(offset: number): void;
}

export const useUsers = create<UsersState>()((set) => ({
  search: '',
  offset: 0,
  users: [],
  total: 0,
  setSearch: (search) => set({ search, offset: 0 }),
  setOffset: (offset) => set({ offset }),
}));
