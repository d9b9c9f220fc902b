// The create-function wizard's answers, kept for the whole session so nothing typed is lost when
// the user moves between pages, meets an error, or goes back from Review; and the plan under review
// and the run, which go on when the user leaves the page.
import {
  createFunction,
  currentRun,
  discardPlan,
  dismissRun,
  planFunction,
  toAppError,
  type AppError,
  type Architecture,
  type Blueprint,
  type FunctionDraft,
  type KeyValue,
  type PackageInfo,
  type PlanEvent,
  type PlanOutcome,
  type PlanView,
  type ReviewedPlan,
  type Selection,
} from '$lib/ipc';

export type CodeMode = 'scratch' | 'blueprint' | 'upload' | 's3';
export type RoleMode = 'new' | 'existing';
export type WizardPage = 'start' | 'basics' | 'role' | 'settings' | 'review';

export const PAGES: readonly { id: WizardPage; label: string }[] = [
  { id: 'start', label: 'Code' },
  { id: 'basics', label: 'Basics' },
  { id: 'role', label: 'Role' },
  { id: 'settings', label: 'Settings' },
  { id: 'review', label: 'Review' },
];

/** Which page shows each field the back end may name in an error. */
export const FIELD_PAGE: Record<string, WizardPage> = {
  blueprint: 'start',
  package: 'start',
  s3Bucket: 'start',
  s3Key: 'start',
  s3Version: 'start',
  stagingBucket: 'start',
  functionName: 'basics',
  runtime: 'basics',
  handler: 'basics',
  description: 'basics',
  roleArn: 'role',
  roleName: 'role',
  templates: 'role',
  customPolicy: 'role',
  memoryMb: 'settings',
  timeoutSeconds: 'settings',
  ephemeralMb: 'settings',
  environment: 'settings',
  tags: 'settings',
  deadLetterArn: 'settings',
  subnetIds: 'settings',
  securityGroupIds: 'settings',
};

/** Splits a box of ids typed one per line or separated by commas. */
export function idList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/** A plan being applied, or applied: its steps, each step's last event, and how it ended. */
export interface Run {
  plan: PlanView;
  progress: Record<number, PlanEvent>;
  outcome: PlanOutcome | null;
}

const selectionKey = (selection: Selection | null) => (selection ? `${selection.profileId}|${selection.region}` : '');

export class Wizard {
  page = $state<WizardPage>('start');
  #codeMode = $state<CodeMode>('blueprint');
  blueprintId = $state('hello-world-python');
  packageInfo = $state<PackageInfo | null>(null);
  s3Bucket = $state('');
  s3Key = $state('');
  s3Version = $state('');
  stagingBucket = $state('');
  createStagingBucket = $state(false);

  name = $state('');
  runtime = $state('python3.13');
  handler = $state('lambda_function.lambda_handler');
  architecture = $state<Architecture>('x86_64');
  description = $state('');
  /** The description a blueprint filled in, replaced or cleared when the code changes. */
  private filledDescription = '';

  roleMode = $state<RoleMode>('new');
  existingRoleArn = $state('');
  newRoleName = $state('');
  /** Whether the user typed a role name, so it no longer follows the function's name. */
  roleNameEdited = $state(false);
  templates = $state<string[]>([]);
  customPolicy = $state('');

  memoryMb = $state(128);
  timeoutSeconds = $state(3);
  ephemeralMb = $state(512);
  environment = $state<KeyValue[]>([]);
  tags = $state<KeyValue[]>([]);
  deadLetterArn = $state('');
  subnetIds = $state('');
  securityGroupIds = $state('');

  problems = $state<AppError[]>([]);

  reviewed = $state<ReviewedPlan | null>(null);
  reviewError = $state<AppError | null>(null);
  run = $state<Run | null>(null);
  checkingPackage = $state(false);
  /** A package problem that names no field. */
  packageError = $state<AppError | null>(null);
  /** Something the user should know about the wizard's state, such as a plan dropped after a switch. */
  notice = $state<string | null>(null);
  /** The profile and region the account-bound choices (role, bucket, plan) were made under. */
  #madeUnder = '';

  get codeMode(): CodeMode {
    return this.#codeMode;
  }

  /** Changing where the code comes from drops what another source filled in. */
  set codeMode(mode: CodeMode) {
    if (mode === this.#codeMode) return;
    this.#codeMode = mode;
    if (mode !== 'blueprint' && this.description === this.filledDescription) {
      this.description = '';
      this.filledDescription = '';
    }
  }

  get running(): boolean {
    return this.run !== null && this.run.outcome === null;
  }

  /** The role name shown: the user's, or one derived from the function's name. */
  get roleName(): string {
    return this.roleNameEdited ? this.newRoleName : `${this.name || 'my-function'}-role`.slice(0, 64);
  }

  useBlueprint(blueprint: Blueprint) {
    this.#codeMode = 'blueprint';
    this.blueprintId = blueprint.id;
    this.runtime = blueprint.runtime;
    this.handler = blueprint.handler;
    this.templates = blueprint.policyTemplates.filter((id) => id !== 'basic');
    if (this.description === '' || this.description === this.filledDescription) {
      this.description = blueprint.description.slice(0, 256);
      this.filledDescription = this.description;
    }
  }

  usePackage(info: PackageInfo) {
    this.codeMode = 'upload';
    this.packageInfo = info;
    if (info.needsS3) this.createStagingBucket = this.stagingBucket === '';
  }

  get draft(): FunctionDraft {
    const code: FunctionDraft['code'] =
      this.codeMode === 'scratch'
        ? { kind: 'scratch' }
        : this.codeMode === 'blueprint'
          ? { kind: 'blueprint', id: this.blueprintId }
          : this.codeMode === 's3'
            ? { kind: 's3', bucket: this.s3Bucket.trim(), key: this.s3Key.trim(), version: this.s3Version.trim() || null }
            : { kind: 'upload', source: this.packageInfo?.source ?? '' };
    // Only a package too large for the request is staged; a bucket picked for an earlier, larger
    // package is not used for a small one.
    const staged = this.codeMode === 'upload' && this.packageInfo?.needsS3 === true && this.stagingBucket.trim() !== '';
    return {
      name: this.name.trim(),
      runtime: this.runtime,
      handler: this.handler.trim(),
      architecture: this.architecture,
      description: this.description,
      code,
      staging: staged ? { bucket: this.stagingBucket.trim(), create: this.createStagingBucket } : null,
      role:
        this.roleMode === 'existing'
          ? { kind: 'existing', arn: this.existingRoleArn }
          : { kind: 'new', name: this.roleName.trim(), templates: [...this.templates], customPolicy: this.customPolicy.trim() || null },
      memoryMb: Number(this.memoryMb),
      timeoutSeconds: Number(this.timeoutSeconds),
      ephemeralMb: Number(this.ephemeralMb),
      environment: this.environment.filter((pair) => pair.key !== '' || pair.value !== ''),
      tags: this.tags.filter((pair) => pair.key !== '' || pair.value !== ''),
      deadLetterArn: this.deadLetterArn.trim() || null,
      subnetIds: idList(this.subnetIds),
      securityGroupIds: idList(this.securityGroupIds),
    };
  }

  /** The problems that belong on a page. */
  problemsOn(page: WizardPage): AppError[] {
    return this.problems.filter((problem) => FIELD_PAGE[problem.field ?? ''] === page);
  }

  problemFor(field: string): AppError | undefined {
    return this.problems.find((problem) => problem.field === field);
  }

  /** Compiles the draft in Rust under `selection`; Rust holds the plan, the page gets its view. */
  async review(selection: Selection): Promise<void> {
    this.reviewed = null;
    this.reviewError = null;
    this.#madeUnder = selectionKey(selection);
    const reviewed = await planFunction(selection.profileId, selection.region, this.draft);
    if (selectionKey(selection) === this.#madeUnder) this.reviewed = reviewed;
  }

  /** Runs the reviewed plan. The draft is cleared as soon as the function exists, so the next
   * Create starts fresh; the run stays on screen until dismissed. */
  async create(): Promise<void> {
    const reviewed = this.reviewed;
    if (!reviewed || this.running) return;
    const run: Run = { plan: reviewed.plan, progress: {}, outcome: null };
    this.run = run;
    const { profileId, region } = reviewed.plan.context;
    try {
      const outcome = await createFunction(reviewed.id, profileId, region, (event) => {
        if (this.run) this.run.progress[event.step] = event;
      });
      if (this.run) this.run.outcome = outcome;
      if (outcome.succeeded) this.resetDraft();
    } catch (reason) {
      this.run = null;
      this.reviewError = toAppError(reason);
    } finally {
      this.reviewed = null;
    }
  }

  /** Shows a run Rust still holds (the page was left, or reloaded, while it ran). */
  async resume(): Promise<void> {
    if (this.run) return;
    const held = await currentRun().catch(() => null);
    if (!held || this.run) return;
    const progress: Record<number, PlanEvent> = {};
    for (const event of held.events) progress[event.step] = event;
    this.run = { plan: held.plan, progress, outcome: held.outcome };
  }

  /** Leaves a finished run: back to the wizard (after a failure) or to a fresh one. */
  async closeRun(): Promise<void> {
    const succeeded = this.run?.outcome?.succeeded ?? false;
    this.run = null;
    this.page = succeeded ? 'start' : 'review';
    await dismissRun().catch(() => undefined);
  }

  /** New code was dropped: a finished run gives way to the draft (a running one never does). */
  async leaveFinishedRun(): Promise<void> {
    if (this.run?.outcome) this.run = null;
    await dismissRun().catch(() => undefined);
  }

  /** The user left Review: Rust drops the plan and its staged package. */
  leaveReview(): void {
    if (!this.reviewed) return;
    this.reviewed = null;
    void discardPlan().catch(() => undefined);
  }

  /** After a switch of profile or region, what was chosen under the old account goes. */
  contextChanged(selection: Selection | null): void {
    const key = selectionKey(selection);
    if (this.#madeUnder === '' || key === this.#madeUnder) {
      this.#madeUnder = key;
      return;
    }
    this.#madeUnder = key;
    const dropped: string[] = [];
    if (this.existingRoleArn !== '') {
      this.existingRoleArn = '';
      dropped.push('the role');
    }
    if (this.stagingBucket !== '' && !this.createStagingBucket) {
      this.stagingBucket = '';
      dropped.push('the staging bucket');
    }
    if (this.reviewed || this.page === 'review') {
      this.leaveReview();
      dropped.push('the plan');
    }
    this.reviewError = null;
    this.notice = dropped.length
      ? `You switched account or region: ${dropped.join(', ')} chosen for the other one ${dropped.length > 1 ? 'were' : 'was'} cleared.`
      : null;
  }

  /** A package chosen in the dialog or dropped on the window, checked in Rust. `load` is null
   * when the dialog was cancelled. A problem shows beside the package (or above the page). */
  async usePackageFrom(load: () => Promise<PackageInfo | null>): Promise<void> {
    this.packageError = null;
    this.codeMode = 'upload';
    this.page = 'start';
    this.checkingPackage = true;
    try {
      const info = await load();
      if (info) {
        this.usePackage(info);
        this.problems = this.problems.filter((p) => p.field !== 'package');
      }
    } catch (reason) {
      const error = toAppError(reason);
      this.packageInfo = null;
      this.problems = [error];
      this.packageError = error.field ? null : error;
    } finally {
      this.checkingPackage = false;
    }
  }

  /** Back to an empty wizard. */
  resetDraft(): void {
    const fresh = new Wizard();
    this.page = 'start';
    this.#codeMode = fresh.codeMode;
    this.blueprintId = fresh.blueprintId;
    this.packageInfo = null;
    this.s3Bucket = '';
    this.s3Key = '';
    this.s3Version = '';
    this.stagingBucket = '';
    this.createStagingBucket = false;
    this.name = '';
    this.runtime = fresh.runtime;
    this.handler = fresh.handler;
    this.architecture = fresh.architecture;
    this.description = '';
    this.filledDescription = '';
    this.roleMode = fresh.roleMode;
    this.existingRoleArn = '';
    this.newRoleName = '';
    this.roleNameEdited = false;
    this.templates = [];
    this.customPolicy = '';
    this.memoryMb = fresh.memoryMb;
    this.timeoutSeconds = fresh.timeoutSeconds;
    this.ephemeralMb = fresh.ephemeralMb;
    this.environment = [];
    this.tags = [];
    this.deadLetterArn = '';
    this.subnetIds = '';
    this.securityGroupIds = '';
    this.problems = [];
    this.notice = null;
    this.reviewError = null;
    this.packageError = null;
  }
}

export const wizard = new Wizard();
