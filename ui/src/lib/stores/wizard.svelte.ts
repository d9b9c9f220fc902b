// The create-function wizard's answers, kept for the whole session so nothing typed is lost when
// the user moves between pages, meets an error, or goes back from Review.
import type { AppError, Architecture, Blueprint, FunctionDraft, KeyValue, PackageInfo } from '$lib/ipc';

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

export class Wizard {
  page = $state<WizardPage>('start');
  codeMode = $state<CodeMode>('blueprint');
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

  /** The role name shown: the user's, or one derived from the function's name. */
  get roleName(): string {
    return this.roleNameEdited ? this.newRoleName : `${this.name || 'my-function'}-role`.slice(0, 64);
  }

  useBlueprint(blueprint: Blueprint) {
    this.codeMode = 'blueprint';
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
    if (this.description === this.filledDescription) this.description = '';
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
            : this.packageInfo?.sourceFolder
              ? { kind: 'folder', path: this.packageInfo.sourceFolder }
              : { kind: 'zip', path: this.packageInfo?.path ?? '' };
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
}

export const wizard = new Wizard();
