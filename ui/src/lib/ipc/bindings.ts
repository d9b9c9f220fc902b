// Generated from the Rust types in lambdesk-core by `make bindings`. Do not edit.

export type ErrorKind = "Validation" | "NotFound" | "Conflict" | "AccessDenied" | "AuthExpired" | "Throttled" | "Network" | "Keyring" | "LimitExceeded" | "Unknown";

export type AppError = { kind: ErrorKind, message: string, hint: string | null, 
/**
 * The input field the error is about, so the UI can highlight it.
 */
field: string | null, };

export type ContextTag = { profileId: string, region: string, accountId: string, };

export type ProfileKind = "Sandbox";

export type ProfileView = { id: string, name: string, kind: ProfileKind, defaultRegion: string, endpointUrl: string | null, };

export type FunctionSummary = { name: string, arn: string, 
/**
 * `None` for a container-image function, which has no managed runtime.
 */
runtime: string | null, memoryMb: number | null, 
/**
 * As Lambda reports it: ISO 8601 with an offset, e.g. `2026-11-24T15:20:00.000+0000`.
 */
lastModified: string | null, description: string | null, };

export type FunctionList = { context: ContextTag, functions: Array<FunctionSummary>, };
