// How a subscriber is laid out in the users table (migration 1) and read back as a User.
import type { Credentials, ServiceType, User, UserStatus } from './types';

/** The columns operators see; never the password or the HA1 values. */
export const USER_COLUMNS =
  'username, display_name, phone, email, status, service_type, create_time, update_time';

export interface UserRow {
  username: string;
  display_name: string;
  phone: string;
  email: string;
  status: string;
  service_type: string;
  create_time: string;
  update_time: string;
}

/** A full row, as written. */
export interface StoredUserRow extends UserRow {
  password_enc: string;
  ha1_md5: string;
  ha1_sha256: string;
  ha1_realm: string;
}

export interface CredentialsRow {
  username: string;
  status: string;
  ha1_realm: string;
  ha1_md5: string;
  ha1_sha256: string;
}

export function toUser(row: UserRow): User {
  return {
    username: row.username,
    displayName: row.display_name,
    phone: row.phone,
    email: row.email,
    // Only the store writes these columns, and it validates before writing.
    status: row.status as UserStatus,
    serviceType: row.service_type as ServiceType,
    createTime: row.create_time,
    updateTime: row.update_time,
  };
}

export function toCredentials(row: CredentialsRow): Credentials {
  return {
    username: row.username,
    status: row.status as UserStatus,
    realm: row.ha1_realm,
    ha1: { MD5: row.ha1_md5, 'SHA-256': row.ha1_sha256 },
  };
}
