// The only module that talks to the Rust side. Every command goes through `call`, which turns any
// failure into a typed AppError, so the rest of the UI never handles raw IPC errors.
import { invoke } from '@tauri-apps/api/core';
import type { AppError, ErrorKind, FunctionList, ProfileView } from './bindings';

export type * from './bindings';

const ERROR_KINDS: readonly ErrorKind[] = [
  'Validation',
  'NotFound',
  'Conflict',
  'AccessDenied',
  'AuthExpired',
  'Throttled',
  'Network',
  'Keyring',
  'LimitExceeded',
  'Unknown',
];

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.kind === 'string' &&
    (ERROR_KINDS as readonly string[]).includes(candidate.kind) &&
    typeof candidate.message === 'string'
  );
}

/** Any rejection from the Rust side, as an AppError. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    return { kind: reason.kind, message: reason.message, hint: reason.hint ?? null, field: reason.field ?? null };
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return {
    kind: 'Unknown',
    message: `Lambdesk's back end failed: ${message}`,
    hint: 'This is a bug in Lambdesk. Restart the app; if it happens again, report it with the log file.',
    field: null,
  };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

export const listProfiles = (): Promise<ProfileView[]> => call('list_profiles');

export const listFunctions = (profileId: string, region: string): Promise<FunctionList> =>
  call('list_functions', { profileId, region });
