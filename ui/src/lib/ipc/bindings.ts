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

export type SandboxProgress = { 
/**
 * What is happening, in the user's terms: "Installing moto (12 of about 60 packages)".
 */
step: string, 
/**
 * From 0 to 1.
 */
fraction: number, };

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

export type RegionFunctions = { region: string, list: FunctionList | null, error: AppError | null, };

export type Language = "python" | "nodejs" | "java" | "dotnet" | "ruby" | "custom";

export type Runtime = { id: string, name: string, language: Language, 
/**
 * ISO date on which AWS ends support.
 */
deprecated: string, 
/**
 * ISO date from which AWS refuses to create functions on it.
 */
blockCreate: string, };

export type RuntimeTable = { offered: Array<Runtime>, deprecated: Array<Runtime>, };

export type SuggestedTrigger = { 
/**
 * `schedule`, `api-gateway`, `s3` or `sqs`.
 */
kind: string, detail: string, };

export type BlueprintFile = { path: string, text: string, };

export type Blueprint = { id: string, name: string, description: string, runtime: string, handler: string, tags: Array<string>, 
/**
 * Policy template ids (see `roles`) a new role for it should get.
 */
policyTemplates: Array<string>, trigger: SuggestedTrigger | null, files: Array<BlueprintFile>, sampleEvent: string, };

export type PolicyTemplate = { id: string, name: string, description: string, 
/**
 * Always part of a new role (basic logging).
 */
always: boolean, 
/**
 * An AWS managed policy to attach, or
 */
managedPolicy: string | null, 
/**
 * an inline policy document with `{region}` and `{account}` placeholders.
 */
inlinePolicy: string | null, 
/**
 * The actions Lambda checks that the role may call when a function is created with it
 * (`CreateNetworkInterface` for a VPC, `SendMessage` for an SQS dead-letter queue), as its
 * error messages name them.
 */
checkedByLambda: Array<string>, };

export type RoleSummary = { name: string, arn: string, description: string | null, };

export type RoleList = { context: ContextTag, roles: Array<RoleSummary>, };

export type BucketList = { context: ContextTag, buckets: Array<string>, };

export type PackageInfo = { 
/**
 * The id of the chosen or dropped file or folder, which the draft names.
 */
source: string, 
/**
 * Where it is, to show the user.
 */
path: string, isFolder: boolean, zippedBytes: number, unzippedBytes: number, 
/**
 * The first file names in the zip, as Lambda will see them, to show.
 */
files: Array<string>, fileCount: number, 
/**
 * Over 50 MB zipped: it has to be staged in S3.
 */
needsS3: boolean, 
/**
 * What the user should know before uploading it (a `.env` file).
 */
warnings: Array<string>, };

export type DroppedPackage = { source: string, path: string, };

export type Architecture = "x86_64" | "arm64";

export type KeyValue = { key: string, value: string, };

export type CodeSource = { "kind": "scratch" } | { "kind": "blueprint", id: string, } | { "kind": "upload", source: string, } | { "kind": "s3", bucket: string, key: string, version: string | null, };

export type RoleChoice = { "kind": "existing", arn: string, } | { "kind": "new", name: string, 
/**
 * Policy template ids; `basic` is added if missing.
 */
templates: Array<string>, customPolicy: string | null, };

export type Staging = { bucket: string, 
/**
 * Create the bucket as part of the plan.
 */
create: boolean, };

export type FunctionDraft = { name: string, runtime: string, handler: string, architecture: Architecture, description: string, code: CodeSource, staging: Staging | null, role: RoleChoice, memoryMb: number, timeoutSeconds: number, ephemeralMb: number, environment: Array<KeyValue>, tags: Array<KeyValue>, deadLetterArn: string | null, subnetIds: Array<string>, securityGroupIds: Array<string>, };

export type StepView = { summary: string, cli: string, };

export type PlanView = { context: ContextTag, functionName: string, steps: Array<StepView>, };

export type StepStatus = "Running" | "Done" | "Failed" | "Undoing" | "Undone" | "UndoFailed";

export type PlanEvent = { step: number, status: StepStatus, detail: string | null, sentBytes: number | null, totalBytes: number | null, };

export type PlanOutcome = { context: ContextTag, succeeded: boolean, functionName: string, functionArn: string | null, failedStep: number | null, error: AppError | null, 
/**
 * What the undo could not remove, or what may exist but could not be checked; it stays in
 * the ledger for Clean up.
 */
leftBehind: Array<LedgerEntry>, 
/**
 * Secrets made by the plan, shown to the user this once.
 */
revealed: Array<Revealed>, };

export type ReviewedPlan = { id: string, plan: PlanView, 
/**
 * Every command as one shell script, to copy.
 */
script: string, };

export type PlanRun = { id: string, plan: PlanView, events: Array<PlanEvent>, outcome: PlanOutcome | null, };

export type ResourceKind = "Role" | "Function" | "Bucket" | "Object" | "Rule" | "RestApi" | "ApiKey" | "UsagePlan";

export type EntryState = "Created" | "Unconfirmed";

export type LedgerEntry = { 
/**
 * Names the resource within its account and region: what Clean up is asked to remove.
 */
id: string, state: EntryState, kind: ResourceKind, 
/**
 * The role, function or bucket name, or the object's key.
 */
name: string, 
/**
 * The bucket an object is in.
 */
bucket: string | null, arn: string | null, 
/**
 * The function the plan that made it was creating.
 */
createdFor: string, 
/**
 * ISO 8601, UTC.
 */
createdAt: string, 
/**
 * The value of the `OWNER_TAG` the plan put on the resource: while the entry is unconfirmed,
 * a resource of its name is Lambdesk's only if it carries this.
 */
ownerToken: string | null, };

export type CreatedList = { context: ContextTag, entries: Array<LedgerEntry>, };

export type InvocationType = "RequestResponse" | "Event";

export type InvokeRequest = { functionName: string, 
/**
 * The event, as JSON text.
 */
payload: string, invocationType: InvocationType, 
/**
 * Return the last 4 KB of the log (`LogType=Tail`).
 */
tailLog: boolean, };

export type Report = { durationMs: number, billedDurationMs: number, memorySizeMb: number, 
/**
 * `None` where the system does not say (only Linux is measured).
 */
maxMemoryUsedMb: number | null, 
/**
 * Set on a cold start only.
 */
initDurationMs: number | null, };

export type InvokeResult = { context: ContextTag, 
/**
 * 200 for a synchronous invoke, 202 for an accepted Event.
 */
statusCode: number, 
/**
 * `Unhandled` when the function failed; the payload then holds the error.
 */
functionError: string | null, payload: string, 
/**
 * The last 4 KB of the log, base64-encoded, as `LogType=Tail` returns it.
 */
logResult: string | null, executedVersion: string | null, requestId: string | null, 
/**
 * The figures of the REPORT line, when the local Lambda ran it (from AWS, the UI parses
 * them out of the log tail).
 */
report: Report | null, 
/**
 * Run by Lambdesk's local Lambda rather than by Lambda in AWS.
 */
ranLocally: boolean, 
/**
 * What the user should know about how it ran, each said once.
 */
notices: Array<string>, };

export type EventTemplate = { id: string, name: string, body: string, };

export type SavedEvent = { name: string, 
/**
 * The event, as JSON text, kept as the user wrote it.
 */
body: string, };

export type SavedEvents = { context: ContextTag, functionName: string, events: Array<SavedEvent>, };

export type FunctionSettings = { description: string, runtime: string, handler: string, architecture: Architecture, memoryMb: number, timeoutSeconds: number, ephemeralMb: number, environment: Array<KeyValue>, tags: Array<KeyValue>, roleArn: string, deadLetterArn: string | null, subnetIds: Array<string>, securityGroupIds: Array<string>, };

export type FunctionDetails = { context: ContextTag, name: string, arn: string, settings: FunctionSettings, codeSha256: string, codeSizeBytes: number, lastModified: string | null, 
/**
 * `Active`, `Pending`, `Inactive` or `Failed`.
 */
state: string | null, 
/**
 * A container image has no zip to show or edit.
 */
isImage: boolean, };

export type SettingChange = { 
/**
 * The form field, as errors name it.
 */
field: string, label: string, old: string, new: string, 
/**
 * The plan step (from 0) whose command makes the change.
 */
step: number, };

export type ChangeReview = { reviewed: ReviewedPlan, changes: Array<SettingChange>, };

export type CodeReplacement = { "kind": "upload", source: string, staging: Staging | null, } | { "kind": "s3", bucket: string, key: string, version: string | null, };

export type PackageEntry = { path: string, sizeBytes: number, 
/**
 * The file's text, for an editable package's text files; `None` for binaries, or when the
 * package is too large to edit.
 */
text: string | null, };

export type PackageContents = { context: ContextTag, functionName: string, 
/**
 * The code these files are: a deploy from them is refused once the function's code changed.
 */
codeSha256: string, zippedBytes: number, files: Array<PackageEntry>, 
/**
 * The file the handler names, when the package has it.
 */
handlerFile: string | null, 
/**
 * Why the editor is not offered, when it is not.
 */
notEditable: string | null, };

export type FileEdit = { path: string, text: string, };

export type LogStreamSummary = { name: string, lastEventMs: number | null, };

export type LogStreams = { context: ContextTag, group: string, 
/**
 * Whether the group exists: it does not until the function has written a line.
 */
groupExists: boolean, streams: Array<LogStreamSummary>, };

export type LogEvent = { timestampMs: number, message: string, };

export type StreamEvents = { context: ContextTag, group: string, stream: string, events: Array<LogEvent>, };

export type RuleTrigger = { name: string, arn: string, 
/**
 * `rate(...)` or `cron(...)`; `None` for a rule that matches events instead.
 */
scheduleExpression: string | null, eventPattern: string | null, enabled: boolean, description: string | null, };

export type TriggerList = { context: ContextTag, functionName: string, rules: Array<RuleTrigger>, apis: Array<ApiTrigger>, mappings: Array<MappingTrigger>, url: FunctionUrl | null, };

export type ScheduleDraft = { ruleName: string, expression: string, description: string, };

export type SchedulePreview = { expression: string, nextRunsMs: number[], };

export type Revealed = { label: string, value: string, };

export type RestApiSummary = { id: string, name: string, };

export type StageUrl = { stage: string, invokeUrl: string, };

export type ApiTrigger = { apiId: string, apiName: string, resourceId: string, path: string, 
/**
 * `ANY` or one method.
 */
method: string, 
/**
 * `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
 */
authorization: string, apiKeyRequired: boolean, 
/**
 * Each stage the API is deployed to, with its invoke URL for this method's path.
 */
stages: Array<StageUrl>, };

export type ApiSecurity = "Open" | "Iam" | "ApiKey";

export type RestApiDraft = { 
/**
 * An API of the account to add the method to; `None` makes a new one named `new_api_name`.
 */
existingApiId: string | null, newApiName: string, resourcePath: string, method: string, security: ApiSecurity, stage: string, };

export type ApiMethodRef = { apiId: string, resourceId: string, method: string, };

export type HttpHeader = { name: string, value: string, };

export type CallRequest = { trigger: ApiMethodRef, stage: string, 
/**
 * The method to send; the trigger's when it is not ANY.
 */
method: string, 
/**
 * The path under the stage, matching the trigger's resource, with any query string.
 */
path: string, headers: Array<HttpHeader>, body: string, };

export type CallResult = { url: string, status: number, headers: Array<HttpHeader>, body: string, elapsedMs: number, signed: boolean, };

export type ProxyProblem = { message: string, fix: string, };

export type ProxyCheck = { status: number, problem: ProxyProblem | null, 
/**
 * What the function answered, as it came.
 */
answer: string, };

export type SourceKind = "Sqs" | "Kinesis" | "DynamoDbStream";

export type MappingTrigger = { uuid: string, sourceArn: string, 
/**
 * `None` for a source Lambdesk does not offer (Kafka, MQ, DocumentDB), which is still listed.
 */
kind: SourceKind | null, batchSize: number | null, batchingWindowSeconds: number | null, startingPosition: string | null, 
/**
 * Lambda's state: `Enabled`, `Disabled`, `Creating`, `Enabling`, `Disabling`, ...
 */
state: string, 
/**
 * The function it invokes, as Lambda names it (the ARN, possibly with a qualifier).
 */
functionArn: string, };

export type EventSource = { arn: string, kind: SourceKind, name: string, };

export type EventSources = { context: ContextTag, sources: Array<EventSource>, unavailable: Array<string>, };

export type RoleCheck = { role: string, missing: Array<string>, 
/**
 * The policy template that grants what is missing.
 */
template: PolicyTemplate | null, };

export type MappingDraft = { eventSourceArn: string, batchSize: number, batchingWindowSeconds: number, startingPosition: string | null, 
/**
 * Attach the policy template the role lacks, in the same plan.
 */
addPolicy: boolean, };

export type UrlAuth = "None" | "AwsIam";

export type UrlCors = { allowOrigins: Array<string>, allowMethods: Array<string>, allowHeaders: Array<string>, exposeHeaders: Array<string>, maxAgeSeconds: number | null, allowCredentials: boolean, };

export type FunctionUrl = { 
/**
 * Where it answers: Lambda's URL in an account, the local gateway's on the sandbox.
 */
url: string, auth: UrlAuth, cors: UrlCors, };

export type UrlDraft = { auth: UrlAuth, cors: UrlCors, };

export type UrlCallRequest = { method: string, 
/**
 * The path under the URL, with any query string.
 */
path: string, headers: Array<HttpHeader>, body: string, };

export type MetricRange = "OneHour" | "ThreeHours" | "TwelveHours" | "OneDay" | "SevenDays";

export type FunctionMetrics = { context: ContextTag, functionName: string, range: MetricRange, periodSeconds: number, 
/**
 * The start of each period, in UTC milliseconds.
 */
timestampsMs: number[], invocations: Array<number>, errors: Array<number>, 
/**
 * 100 × (1 − errors ÷ invocations), `None` where nothing ran.
 */
successRate: Array<number | null>, durationAverage: Array<number | null>, durationMaximum: Array<number | null>, throttles: Array<number>, concurrentExecutions: Array<number | null>, };

export type FunctionActivity = { name: string, runtime: string | null, invocations: number, errors: number, 
/**
 * `None` when the function did not run in the window.
 */
p95DurationMs: number | null, };

export type FleetActivity = { context: ContextTag, functions: Array<FunctionActivity>, 
/**
 * The window, whole hours ending at the next hour, in UTC milliseconds.
 */
startMs: number, endMs: number, 
/**
 * How many GetMetricData calls the figures took.
 */
metricCalls: number, };

export type LogGroupSummary = { name: string, storedBytes: number | null, retentionDays: number | null, };

export type LogGroupPage = { context: ContextTag, groups: Array<LogGroupSummary>, nextToken: string | null, };

export type LogQuery = { group: string, 
/**
 * A CloudWatch filter pattern (`ERROR`, `"Task timed out"`, `{ $.level = "error" }`); empty
 * for every event.
 */
pattern: string, startMs: number, endMs: number | null, nextToken: string | null, };

export type FoundEvent = { eventId: string, stream: string, timestampMs: number, message: string, };

export type LogEventsPage = { context: ContextTag, events: Array<FoundEvent>, nextToken: string | null, };

export type TailMode = "LiveTail" | "Polling";

export type TailStarted = { tailId: string, mode: TailMode, 
/**
 * Why it polls, when it does.
 */
whyPolling: string | null, };
