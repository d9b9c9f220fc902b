// Generated from the Rust types in lambdesk-core by `make bindings`. Do not edit.

export type ErrorKind = "Validation" | "NotFound" | "Conflict" | "AccessDenied" | "AuthExpired" | "Throttled" | "Network" | "Keyring" | "LimitExceeded" | "Unknown";

export type AppError = { kind: ErrorKind, message: string, hint: string | null, 
/**
 * The input field the error is about, so the UI can highlight it.
 */
field: string | null, };

export type ContextTag = { profileId: string, region: string, accountId: string, };

export type RegionInfo = { code: string, name: string, };

export type CallerIdentity = { accountId: string, arn: string, };

export type ProfileKind = "Sandbox" | "Keys" | "Shared";

export type KeyStorage = "Keyring" | "Session";

export type SharedKind = "AssumeRole" | "WebIdentity" | "Sso" | "StaticKeys" | "CredentialProcess" | "NoCredentials";

export type ProfileView = { id: string, name: string, kind: ProfileKind, defaultRegion: string, production: boolean, endpointUrl: string | null, maskedKeyId: string | null, keyStorage: KeyStorage | null, 
/**
 * False when the keys were kept for an earlier session only and must be entered again.
 */
keysAvailable: boolean, sharedProfile: string | null, sharedKind: SharedKind | null, };

export type ProfileSettings = { name: string, defaultRegion: string, production: boolean, };

export type KeysInput = { accessKeyId: string, secretAccessKey: string, sessionToken: string | null, 
/**
 * An AWS-compatible endpoint (LocalStack, the sandbox); `None` for AWS itself.
 */
endpointUrl: string | null, };

export type Selection = { profileId: string, region: string, };

export type ProfilesOverview = { profiles: Array<ProfileView>, 
/**
 * The last choice, or the sandbox when there is none or its profile is gone.
 */
selection: Selection, 
/**
 * Why the saved profiles could not be read, if they could not.
 */
problem: AppError | null, };

export type KeyringStatus = { available: boolean, problem: AppError | null, };

export type SharedProfile = { name: string, kind: SharedKind, region: string | null, maskedKeyId: string | null, roleArn: string | null, sourceProfile: string | null, mfaSerial: string | null, ssoStartUrl: string | null, 
/**
 * Whether a Lambdesk profile already comes from it.
 */
alreadyAdded: boolean, };

export type SharedProfilesScan = { configFile: string, credentialsFile: string, profiles: Array<SharedProfile>, };

export type ImportMode = "CopyKeys" | "UseInPlace";

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
