// The Configuration tab's form: the function's settings as the inputs hold them (ids as text),
// back to the settings Rust checks, and which fields the user has changed from what was loaded.
import type { Architecture, FunctionSettings, KeyValue } from '$lib/ipc';

export interface SettingsForm {
  description: string;
  runtime: string;
  handler: string;
  architecture: Architecture;
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralMb: number;
  environment: KeyValue[];
  tags: KeyValue[];
  roleArn: string;
  deadLetterArn: string;
  subnetIds: string;
  securityGroupIds: string;
}

export function formOf(settings: FunctionSettings): SettingsForm {
  return {
    ...settings,
    environment: settings.environment.map((pair) => ({ ...pair })),
    tags: settings.tags.map((pair) => ({ ...pair })),
    deadLetterArn: settings.deadLetterArn ?? '',
    subnetIds: settings.subnetIds.join('\n'),
    securityGroupIds: settings.securityGroupIds.join('\n'),
  };
}

const ids = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
const filled = (pairs: KeyValue[]): KeyValue[] =>
  pairs.filter((pair) => pair.key.trim() || pair.value.trim()).map((pair) => ({ key: pair.key.trim(), value: pair.value }));

export function settingsOf(form: SettingsForm): FunctionSettings {
  return {
    description: form.description.trim(),
    runtime: form.runtime,
    handler: form.handler.trim(),
    architecture: form.architecture,
    memoryMb: Number(form.memoryMb),
    timeoutSeconds: Number(form.timeoutSeconds),
    ephemeralMb: Number(form.ephemeralMb),
    environment: filled(form.environment),
    tags: filled(form.tags),
    roleArn: form.roleArn.trim(),
    deadLetterArn: form.deadLetterArn.trim() || null,
    subnetIds: ids(form.subnetIds),
    securityGroupIds: ids(form.securityGroupIds),
  };
}

/** The fields whose value differs from what was loaded, named as Rust names them ('vpc' for both id lists). */
export function changedFields(loaded: FunctionSettings, form: SettingsForm): string[] {
  const wanted = settingsOf(form);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const fields: (keyof FunctionSettings)[] = [
    'description',
    'runtime',
    'handler',
    'architecture',
    'memoryMb',
    'timeoutSeconds',
    'ephemeralMb',
    'environment',
    'tags',
    'roleArn',
    'deadLetterArn',
  ];
  const changed: string[] = fields.filter((field) => !same(loaded[field], wanted[field]));
  if (!same(loaded.subnetIds, wanted.subnetIds) || !same(loaded.securityGroupIds, wanted.securityGroupIds)) {
    changed.push('vpc');
  }
  return changed;
}
