// What the mapping form shows before Rust checks it: which kind of source an ARN names, so the form
// offers a starting position for streams only and a batch size within the source's range.
import type { SourceKind } from '$lib/ipc';

/** The kind of source an ARN names, or null while it is not one. */
export function sourceKindOf(arn: string): SourceKind | null {
  const [prefix, , service, , , resource = ''] = arn.trim().split(':');
  if (prefix !== 'arn') return null;
  if (service === 'sqs' && resource.length > 0) return 'Sqs';
  if (service === 'kinesis' && resource.startsWith('stream/')) return 'Kinesis';
  if (service === 'dynamodb' && resource.includes('/stream/')) return 'DynamoDbStream';
  return null;
}

export const SOURCE_LABELS: Record<SourceKind, string> = {
  Sqs: 'SQS queue',
  Kinesis: 'Kinesis stream',
  DynamoDbStream: 'DynamoDB stream',
};

/** Lambda's default batch size for the source. */
export function defaultBatchSize(kind: SourceKind | null): number {
  return kind === 'Sqs' || kind === null ? 10 : 100;
}

/** The short name of a source's ARN: a queue's, stream's or table's name. */
export function sourceName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[0] === 'stream' || parts[0] === 'table' ? (parts[1] ?? resource) : resource;
}
