// The only module that talks to the Rust side. Every command goes through `call`, which turns any
// failure into a typed AppError, so the rest of the UI never handles raw IPC errors.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppError,
  RegionFunctions,
  SandboxProgress,
  ChangeReview,
  CodeReplacement,
  ScheduleDraft,
  SchedulePreview,
  TriggerList,
  ApiMethodRef,
  FunctionMetrics,
  FleetActivity,
  FoundEvent,
  LogEventsPage,
  LogGroupPage,
  LogQuery,
  TailStarted,
  MetricRange,
  UrlCallRequest,
  UrlDraft,
  EventSources,
  MappingDraft,
  RoleCheck,
  CallRequest,
  CallResult,
  ProxyCheck,
  RestApiDraft,
  RestApiSummary,
  FileEdit,
  FunctionDetails,
  FunctionSettings,
  LogStreams,
  PackageContents,
  StreamEvents,
  Blueprint,
  BucketList,
  DroppedPackage,
  PlanRun,
  ReviewedPlan,
  RoleList,
  CallerIdentity,
  CreatedList,
  EventTemplate,
  FunctionDraft,
  InvokeRequest,
  InvokeResult,
  SavedEvent,
  SavedEvents,
  PackageInfo,
  PlanEvent,
  PlanOutcome,
  PolicyTemplate,
  RuntimeTable,
  ErrorKind,
  FunctionList,
  ImportMode,
  KeyringStatus,
  KeysInput,
  ProfileSettings,
  ProfilesOverview,
  ProfileView,
  RegionInfo,
  Selection,
  SharedProfilesScan,
} from './bindings';

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

export const listProfiles = (): Promise<ProfilesOverview> => call('list_profiles');

export const listRegions = (): Promise<RegionInfo[]> => call('list_regions');

/**
 * Starts the app's own sandbox when nothing answers at the Local sandbox's URL (installing moto on
 * first use); `onProgress` sees each step. Answers the profiles, the sandbox's new URL among them.
 */
export function startSandbox(onProgress: (step: SandboxProgress) => void): Promise<ProfilesOverview> {
  const steps = new Channel<SandboxProgress>();
  steps.onmessage = onProgress;
  return call('start_sandbox', { onProgress: steps });
}

export const keyringStatus = (): Promise<KeyringStatus> => call('keyring_status');

export const recheckKeyring = (): Promise<KeyringStatus> => call('recheck_keyring');

export const verifyKeys = (keys: KeysInput, region: string): Promise<CallerIdentity> =>
  call('verify_keys', { keys, region });

export const addProfile = (settings: ProfileSettings, keys: KeysInput, sessionOnly: boolean): Promise<ProfileView> =>
  call('add_profile', { settings, keys, sessionOnly });

export const updateProfile = (
  id: string,
  settings: ProfileSettings,
  keys: KeysInput | null,
  sessionOnly: boolean,
): Promise<ProfileView> => call('update_profile', { id, settings, keys, sessionOnly });

export const deleteProfile = (id: string): Promise<void> => call('delete_profile', { id });

export const scanSharedProfiles = (): Promise<SharedProfilesScan> => call('scan_shared_profiles');

export const importSharedProfile = (
  sharedName: string,
  settings: ProfileSettings,
  mode: ImportMode,
): Promise<ProfileView> => call('import_shared_profile', { sharedName, settings, mode });

export const selectContext = (selection: Selection): Promise<void> => call('select_context', { selection });

export const deleteFunction = (
  profileId: string,
  region: string,
  name: string,
  confirmName: string | null,
): Promise<void> => call('delete_function', { profileId, region, name, confirmName });

/** Every function of the account and region, sorted; `onPage` sees each page of 50 but the last, as it arrives. */
export function listFunctions(
  profileId: string,
  region: string,
  onPage: (page: FunctionList) => void = () => undefined,
): Promise<FunctionList> {
  const pages = new Channel<FunctionList>();
  pages.onmessage = onPage;
  return call('list_functions', { profileId, region, onPage: pages });
}

/** Every Lambda region's functions, a few regions at a time; `onRegion` sees each region as it is done. */
export function listFunctionsEverywhere(
  profileId: string,
  onRegion: (region: RegionFunctions) => void = () => undefined,
): Promise<RegionFunctions[]> {
  const regions = new Channel<RegionFunctions>();
  regions.onmessage = onRegion;
  return call('list_functions_everywhere', { profileId, onRegion: regions });
}

/** Lambda runs it in an account; on the Local sandbox the local Lambda does. */
export const invokeFunction = (profileId: string, region: string, request: InvokeRequest): Promise<InvokeResult> =>
  call('invoke_function', { profileId, region, request });

/** Runs a function of any account on this machine, with its own code and configuration. */
export const runLocally = (profileId: string, region: string, functionName: string, event: string): Promise<InvokeResult> =>
  call('run_locally', { profileId, region, functionName, event });

export const listEventTemplates = (): Promise<EventTemplate[]> => call('list_event_templates');

export const listTestEvents = (profileId: string, region: string, functionName: string): Promise<SavedEvents> =>
  call('list_test_events', { profileId, region, functionName });

export const saveTestEvent = (
  profileId: string,
  region: string,
  functionName: string,
  event: SavedEvent,
): Promise<SavedEvents> => call('save_test_event', { profileId, region, functionName, event });

export const deleteTestEvent = (
  profileId: string,
  region: string,
  functionName: string,
  name: string,
): Promise<SavedEvents> => call('delete_test_event', { profileId, region, functionName, name });

export const listRuntimes = (): Promise<RuntimeTable> => call('list_runtimes');

export const listBlueprints = (): Promise<Blueprint[]> => call('list_blueprints');

export const listPolicyTemplates = (): Promise<PolicyTemplate[]> => call('list_policy_templates');

export const listLambdaRoles = (profileId: string, region: string): Promise<RoleList> =>
  call('list_lambda_roles', { profileId, region });

export const listBuckets = (profileId: string, region: string): Promise<BucketList> =>
  call('list_buckets', { profileId, region });

/** Opens the native dialog (in Rust) for a .zip or a folder and checks what was chosen; null when cancelled. */
export const pickPackage = (folder: boolean): Promise<PackageInfo | null> => call('pick_package', { folder });

/** Checks a package dropped on the window, named by the id Rust gave the drop. */
export const inspectPackage = (source: string): Promise<PackageInfo> => call('inspect_package', { source });

/** The event Rust sends when a file or folder is dropped on the window. */
export const PACKAGE_DROPPED = 'package-dropped';
export type { DroppedPackage };

/** Every rule the draft breaks, one error per field; empty when it may go to Review. */
export const checkDraft = (draft: FunctionDraft): Promise<AppError[]> => call('check_draft', { draft });

/** Compiles the draft into a plan that Rust holds for Create and Save; nothing is sent to AWS. */
export const planFunction = (profileId: string, region: string, draft: FunctionDraft): Promise<ReviewedPlan> =>
  call('plan_function', { profileId, region, draft });

export const discardPlan = (): Promise<void> => call('discard_plan');

/** Runs the reviewed plan in the account and region it was reviewed for. */
export function createFunction(
  planId: string,
  profileId: string,
  region: string,
  onProgress: (event: PlanEvent) => void,
): Promise<PlanOutcome> {
  const onEvent = new Channel<PlanEvent>();
  onEvent.onmessage = onProgress;
  return call('create_function', { planId, profileId, region, onEvent });
}

/** The plan running, or the last one run until dismissed. */
export const currentRun = (): Promise<PlanRun | null> => call('current_run');

export const dismissRun = (): Promise<void> => call('dismiss_run');

/** Asks where to save (a dialog Rust opens) and writes the reviewed plan's script; the path, or null when cancelled. */
export const saveScript = (planId: string): Promise<string | null> => call('save_script', { planId });

export const listCreated = (profileId: string, region: string): Promise<CreatedList> =>
  call('list_created', { profileId, region });

export const cleanUp = (
  profileId: string,
  region: string,
  entryId: string,
  confirmName: string | null,
): Promise<void> => call('clean_up', { profileId, region, entryId, confirmName });

/** The function's settings and state, as its page shows them. */
export const functionDetails = (profileId: string, region: string, functionName: string): Promise<FunctionDetails> =>
  call('function_details', { profileId, region, functionName });

/** Compares the settings with the function as it is now; Rust holds the plan that applies them. */
export const planConfiguration = (
  profileId: string,
  region: string,
  functionName: string,
  settings: FunctionSettings,
): Promise<ChangeReview> => call('plan_configuration', { profileId, region, functionName, settings });

/** The deployed package's files, with the text of each text file when it is small enough to edit. */
export const packageContents = (profileId: string, region: string, functionName: string): Promise<PackageContents> =>
  call('package_contents', { profileId, region, functionName });

/** Rebuilds the package with the edited files; Rust holds the plan that deploys it. */
export const planCodeEdits = (
  profileId: string,
  region: string,
  functionName: string,
  baseSha256: string,
  edits: FileEdit[],
): Promise<ChangeReview> => call('plan_code_edits', { profileId, region, functionName, baseSha256, edits });

/** Checks new code (a chosen or dropped package by id, or an S3 object); Rust holds the plan that deploys it. */
export const planCodeReplacement = (
  profileId: string,
  region: string,
  functionName: string,
  replacement: CodeReplacement,
): Promise<ChangeReview> => call('plan_code_replacement', { profileId, region, functionName, replacement });

export const discardChange = (): Promise<void> => call('discard_change');

/** Runs the reviewed change in the account and region it was reviewed for. */
export function applyChange(
  planId: string,
  profileId: string,
  region: string,
  onProgress: (event: PlanEvent) => void,
): Promise<PlanOutcome> {
  const onEvent = new Channel<PlanEvent>();
  onEvent.onmessage = onProgress;
  return call('apply_change', { planId, profileId, region, onEvent });
}

/** Asks where to save (a dialog Rust opens) and writes the function's package there; null when cancelled. */
export const savePackage = (profileId: string, region: string, functionName: string): Promise<string | null> =>
  call('save_package', { profileId, region, functionName });

export const functionLogStreams = (profileId: string, region: string, functionName: string): Promise<LogStreams> =>
  call('function_log_streams', { profileId, region, functionName });

export const logStreamEvents = (
  profileId: string,
  region: string,
  functionName: string,
  stream: string,
): Promise<StreamEvents> => call('log_stream_events', { profileId, region, functionName, stream });

/** Every chart series of the function over the range, from one GetMetricData call. */
export const functionMetrics = (
  profileId: string,
  region: string,
  functionName: string,
  range: MetricRange,
): Promise<FunctionMetrics> => call('function_metrics', { profileId, region, functionName, range });

/** Every function of the account and region with its day's invocations, errors and p95 duration. */
export const fleetActivity = (profileId: string, region: string): Promise<FleetActivity> =>
  call('fleet_activity', { profileId, region });

/** The function's triggers, read from the account. */
export const listTriggers = (profileId: string, region: string, functionName: string): Promise<TriggerList> =>
  call('list_triggers', { profileId, region, functionName });

/** Checks a schedule expression by AWS's rules and says when it runs next. */
export const previewSchedule = (expression: string): Promise<SchedulePreview> => call('preview_schedule', { expression });

/** Checks the schedule; Rust holds the plan that adds it (run with applyChange). */
export const planSchedule = (
  profileId: string,
  region: string,
  functionName: string,
  draft: ScheduleDraft,
): Promise<ChangeReview> => call('plan_schedule', { profileId, region, functionName, draft });

export const setTriggerEnabled = (
  profileId: string,
  region: string,
  functionName: string,
  rule: string,
  enabled: boolean,
): Promise<void> => call('set_trigger_enabled', { profileId, region, functionName, rule, enabled });

/** Removes a rule trigger with the function's target and permission. */
export const removeTrigger = (profileId: string, region: string, functionName: string, rule: string): Promise<void> =>
  call('remove_trigger', { profileId, region, functionName, rule });

/** The account's REST APIs, to add a method to one of them. */
export const listRestApis = (profileId: string, region: string): Promise<RestApiSummary[]> =>
  call('list_rest_apis', { profileId, region });

/** Checks the REST API; Rust holds the plan that publishes the function (run with applyChange). */
export const planRestApi = (
  profileId: string,
  region: string,
  functionName: string,
  draft: RestApiDraft,
): Promise<ChangeReview> => call('plan_rest_api', { profileId, region, functionName, draft });

/** Removes an API method of the function with its permission. */
export const removeApiTrigger = (
  profileId: string,
  region: string,
  functionName: string,
  method: ApiMethodRef,
): Promise<void> => call('remove_api_trigger', { profileId, region, functionName, method });

/** Calls one of the function's API methods; Rust builds the URL from the account's API. */
export const callApi = (
  profileId: string,
  region: string,
  functionName: string,
  request: CallRequest,
): Promise<CallResult> => call('call_api', { profileId, region, functionName, request });

/** Runs the function with an API Gateway proxy event and checks its answer. */
export const checkProxyResponse = (
  profileId: string,
  region: string,
  functionName: string,
  method: string,
  path: string,
): Promise<ProxyCheck> => call('check_proxy_response', { profileId, region, functionName, method, path });

/** The region's SQS queues, Kinesis streams and DynamoDB streams a mapping can read. */
export const listEventSources = (profileId: string, region: string): Promise<EventSources> =>
  call('list_event_sources', { profileId, region });

/** Whether the function's role may read the source, and which policy template would let it. */
export const checkMappingRole = (
  profileId: string,
  region: string,
  functionName: string,
  eventSourceArn: string,
): Promise<RoleCheck> => call('check_mapping_role', { profileId, region, functionName, eventSourceArn });

/** Checks the mapping; Rust holds the plan that makes it (run with applyChange). */
export const planMapping = (
  profileId: string,
  region: string,
  functionName: string,
  draft: MappingDraft,
): Promise<ChangeReview> => call('plan_mapping', { profileId, region, functionName, draft });

export const setMappingEnabled = (
  profileId: string,
  region: string,
  functionName: string,
  uuid: string,
  enabled: boolean,
): Promise<void> => call('set_mapping_enabled', { profileId, region, functionName, uuid, enabled });

/** Deletes one of the function's event source mappings. */
export const removeMapping = (profileId: string, region: string, functionName: string, uuid: string): Promise<void> =>
  call('remove_mapping', { profileId, region, functionName, uuid });

/** Checks the function URL; Rust holds the plan that makes it (run with applyChange). */
export const planFunctionUrl = (
  profileId: string,
  region: string,
  functionName: string,
  draft: UrlDraft,
): Promise<ChangeReview> => call('plan_function_url', { profileId, region, functionName, draft });

/** Removes the function's URL and the statements that opened it. */
export const removeFunctionUrl = (profileId: string, region: string, functionName: string): Promise<void> =>
  call('remove_function_url', { profileId, region, functionName });

/** Calls the function's URL; Rust reads the URL from the account. */
export const callFunctionUrl = (
  profileId: string,
  region: string,
  functionName: string,
  request: UrlCallRequest,
): Promise<CallResult> => call('call_function_url', { profileId, region, functionName, request });

/** The account's log groups whose names start with `prefix`, a page at a time. */
export const listLogGroups = (profileId: string, region: string, prefix: string, nextToken: string | null): Promise<LogGroupPage> =>
  call('list_log_groups', { profileId, region, prefix, nextToken });

/** One page of a group's events matching a filter pattern in a time range. */
export const filterLogEvents = (profileId: string, region: string, query: LogQuery): Promise<LogEventsPage> =>
  call('filter_log_events', { profileId, region, query });

/** Starts following a group from now (Live Tail or polling, as the endpoint allows); Rust keeps the tail so each event comes once. */
export const startTail = (profileId: string, region: string, group: string, pattern: string): Promise<TailStarted> =>
  call('start_tail', { profileId, region, group, pattern });

/** What the tail found since the last poll, oldest first. */
export const pollTail = (tailId: string): Promise<FoundEvent[]> => call('poll_tail', { tailId });

export const stopTail = (tailId: string): Promise<void> => call('stop_tail', { tailId });
