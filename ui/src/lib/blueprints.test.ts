import { describe, expect, it } from 'vitest';
import type { Blueprint } from '$lib/ipc';
import { matchingBlueprints } from './blueprints';

const blueprint = (id: string, name: string, runtime: string, tags: string[]): Blueprint => ({
  id,
  name,
  description: `${name}.`,
  runtime,
  handler: 'index.handler',
  tags,
  policyTemplates: ['basic'],
  trigger: null,
  files: [],
  sampleEvent: '{}',
});

const all = [
  blueprint('hello-world-python', 'Hello world (Python)', 'python3.13', ['starter', 'hello']),
  blueprint('hello-world-nodejs', 'Hello world (Node.js)', 'nodejs22.x', ['starter', 'hello']),
  blueprint('scheduled-job', 'Scheduled job', 'python3.13', ['schedule', 'cron']),
  blueprint('sqs-poller', 'SQS poller', 'nodejs22.x', ['sqs', 'queue']),
];

const ids = (query: string) => matchingBlueprints(all, query).map((b) => b.id);

describe('blueprint search', () => {
  it('matches every word against name, runtime and tags', () => {
    expect(ids('hello python')).toEqual(['hello-world-python']);
    expect(ids('nodejs22')).toContain('sqs-poller');
    expect(ids('CRON')).toEqual(['scheduled-job']);
    expect(ids('no such thing')).toEqual([]);
    expect(ids('  ')).toHaveLength(all.length);
  });
});
