import { describe, expect, it } from 'vitest';
import { defaultBatchSize, sourceKindOf, sourceName } from './mapping';

describe('mapping sources', () => {
  it('tells the kind from the ARN', () => {
    expect(sourceKindOf('arn:aws:sqs:us-east-1:123456789012:orders')).toBe('Sqs');
    expect(sourceKindOf('arn:aws:kinesis:us-east-1:123456789012:stream/clicks')).toBe('Kinesis');
    expect(sourceKindOf('arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-12-02T10:00:00.000')).toBe(
      'DynamoDbStream',
    );
    expect(sourceKindOf('arn:aws:dynamodb:us-east-1:123456789012:table/Orders')).toBeNull();
    expect(sourceKindOf('orders')).toBeNull();
  });

  it('names sources and their default batch', () => {
    expect(sourceName('arn:aws:sqs:us-east-1:123456789012:orders')).toBe('orders');
    expect(sourceName('arn:aws:kinesis:us-east-1:123456789012:stream/clicks')).toBe('clicks');
    expect(sourceName('arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-12-02T10:00:00.000')).toBe('Orders');
    expect(defaultBatchSize('Sqs')).toBe(10);
    expect(defaultBatchSize('Kinesis')).toBe(100);
  });
});
