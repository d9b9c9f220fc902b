import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type {
  UrlCallRequest,
  UrlDraft,
  ApiTrigger,
  CallRequest,
  ChangeReview,
  MappingDraft,
  PlanOutcome,
  RestApiDraft,
  ScheduleDraft,
  TriggerList,
} from '$lib/ipc';
import { isolateEachTest, sandboxBackend } from '$lib/testing';
import TriggersTab from './TriggersTab.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };
const under = { profileId: 'sandbox', region: 'us-east-1' };

const listed: TriggerList = {
  context,
  functionName: 'hello',
  rules: [
    {
      name: 'nightly',
      arn: 'arn:aws:events:us-east-1:123456789012:rule/nightly',
      scheduleExpression: 'cron(0 2 * * ? *)',
      eventPattern: null,
      enabled: true,
      description: null,
    },
  ],
  apis: [],
  mappings: [],
  url: null,
};

const review: ChangeReview = {
  reviewed: {
    id: 'plan-9',
    plan: {
      context,
      functionName: 'hello',
      steps: [
        { summary: 'Create the EventBridge rule hello-every-minute that fires on rate(1 minute).', cli: 'aws events put-rule' },
        { summary: 'Make the function the target of the rule hello-every-minute.', cli: 'aws events put-targets' },
        { summary: 'Let events.amazonaws.com invoke hello.', cli: 'aws lambda add-permission' },
      ],
    },
    script: '#!/bin/sh\n',
  },
  changes: [],
};

isolateEachTest();

describe('the Triggers tab', () => {
  it('lists the rules that run the function and builds a schedule that AWS checks before review', async () => {
    const previewed: string[] = [];
    const drafts: ScheduleDraft[] = [];
    const toggled: unknown[] = [];
    await sandboxBackend((cmd, args) => {
      if (cmd === 'list_triggers') return listed;
      if (cmd === 'set_trigger_enabled') {
        toggled.push([args.rule, args.enabled]);
        return null;
      }
      if (cmd === 'preview_schedule') {
        const expression = args.expression as string;
        previewed.push(expression);
        if (expression === 'rate(1 minutes)') {
          throw { kind: 'Validation', message: 'rate(1 minutes) is refused by AWS: write rate(1 minute).', hint: null, field: 'scheduleExpression' };
        }
        return { expression, nextRunsMs: [Date.UTC(2026, 11, 2, 10, 1), Date.UTC(2026, 11, 2, 10, 2)] };
      }
      if (cmd === 'plan_schedule') {
        drafts.push(args.draft as ScheduleDraft);
        return review;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(TriggersTab, { functionName: 'hello', under });
    const trigger = await screen.findByTestId('trigger');
    expect(trigger.textContent).toContain('cron(0 2 * * ? *)');
    await fireEvent.click(within(trigger).getByRole('button', { name: 'Disable' }));
    expect(toggled).toEqual([['nightly', false]]);

    await fireEvent.click(screen.getByTestId('add-schedule'));
    expect((screen.getByTestId('rule-name') as HTMLInputElement).value).toBe('hello-every-minute');
    expect(screen.getByTestId('schedule-expression').textContent).toBe('rate(1 minute)');
    const runs = await screen.findByTestId('next-runs');
    expect(runs.textContent).toContain('02 Dec 2026, 10:01 UTC');

    await fireEvent.click(screen.getByLabelText('Typed expression'));
    await fireEvent.input(screen.getByTestId('typed-expression'), { target: { value: 'rate(1 minutes)' } });
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toContain('write rate(1 minute)');
    expect((screen.getByTestId('review-schedule') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.input(screen.getByTestId('typed-expression'), { target: { value: 'rate(1 minute)' } });
    await screen.findByTestId('next-runs');
    await fireEvent.click(screen.getByTestId('review-schedule'));
    await screen.findByTestId('change-review');
    expect(drafts).toEqual([{ ruleName: 'hello-every-minute', expression: 'rate(1 minute)', description: '' }]);
    expect(screen.getAllByTestId('step-cli').map((cli) => cli.textContent)).toEqual([
      'aws events put-rule',
      'aws events put-targets',
      'aws lambda add-permission',
    ]);
  });

  it('calls an API method with the request the user chose, and checks the answer before a new API is reviewed', async () => {
    const api: ApiTrigger = {
      apiId: 'a1b2c3d4e5',
      apiName: 'LambdaMicroservice',
      resourceId: 'r1',
      path: '/hello',
      method: 'ANY',
      authorization: 'NONE',
      apiKeyRequired: true,
      stages: [{ stage: 'prod', invokeUrl: 'http://127.0.0.1:4000/a1b2c3d4e5/prod/hello' }],
    };
    const calls: CallRequest[] = [];
    const checks: unknown[] = [];
    const drafts: RestApiDraft[] = [];
    const apiReview: ChangeReview = {
      reviewed: {
        id: 'plan-10',
        plan: { context, functionName: 'hello', steps: [{ summary: 'Create the REST API LambdaMicroservice (regional).', cli: 'API_ID=$(aws apigateway create-rest-api' }] },
        script: '#!/bin/sh\n',
      },
      changes: [],
    };
    const published: PlanOutcome = {
      context,
      succeeded: true,
      functionName: 'hello',
      functionArn: null,
      failedStep: null,
      error: null,
      leftBehind: [],
      revealed: [{ label: 'API key hello-key', value: 'k3y-v4lue' }],
    };
    await sandboxBackend((cmd, args) => {
      if (cmd === 'list_triggers') return { ...listed, rules: [], apis: [api] };
      if (cmd === 'call_api') {
        calls.push(args.request as CallRequest);
        return {
          url: 'http://127.0.0.1:4000/a1b2c3d4e5/prod/hello?name=Ada',
          status: 200,
          headers: [{ name: 'content-type', value: 'application/json' }],
          body: '{"message":"Hello, Ada!"}',
          elapsedMs: 12.4,
          signed: false,
        };
      }
      if (cmd === 'check_proxy_response') {
        checks.push([args.method, args.path]);
        return {
          status: 502,
          problem: { message: "The answer's body is not a string.", fix: 'Serialise the body to a string: json.dumps(body) in Python.' },
          answer: '{"statusCode":200,"body":{"a":1}}',
        };
      }
      if (cmd === 'plan_rest_api') {
        drafts.push(args.draft as RestApiDraft);
        return apiReview;
      }
      if (cmd === 'apply_change') return published;
      throw new Error(`unexpected ${cmd}`);
    });
    render(TriggersTab, { functionName: 'hello', under });
    const item = await screen.findByTestId('api-trigger');
    expect(within(item).getByTestId('invoke-url').textContent).toBe('http://127.0.0.1:4000/a1b2c3d4e5/prod/hello');
    expect(item.textContent).toContain('API key');

    await fireEvent.click(within(item).getByTestId('call-it'));
    expect((screen.getByTestId('call-headers') as HTMLTextAreaElement).value).toBe('x-api-key: ');
    await fireEvent.input(screen.getByTestId('call-path'), { target: { value: '/hello?name=Ada' } });
    await fireEvent.input(screen.getByTestId('call-headers'), { target: { value: 'x-api-key: secret\nAccept: application/json' } });
    await fireEvent.click(screen.getByTestId('call-send'));
    expect((await screen.findByTestId('call-status')).textContent).toBe('200');
    expect(screen.getByTestId('call-body-out').textContent).toBe('{\n  "message": "Hello, Ada!"\n}');
    expect(calls).toEqual([
      {
        trigger: { apiId: 'a1b2c3d4e5', resourceId: 'r1', method: 'ANY' },
        stage: 'prod',
        method: 'GET',
        path: '/hello?name=Ada',
        headers: [
          { name: 'x-api-key', value: 'secret' },
          { name: 'Accept', value: 'application/json' },
        ],
        body: '',
      },
    ]);

    await fireEvent.click(screen.getByTestId('add-api'));
    expect((screen.getByTestId('resource-path') as HTMLInputElement).value).toBe('/hello');
    await fireEvent.click(screen.getByTestId('security-key'));
    await fireEvent.click(screen.getByTestId('review-api'));
    const check = await screen.findByTestId('proxy-check');
    expect(check.textContent).toContain('502');
    expect(check.textContent).toContain('json.dumps(body)');
    expect(drafts).toEqual([]);
    expect(screen.getByTestId('review-api').textContent).toBe('Review anyway');
    await fireEvent.click(screen.getByTestId('review-api'));
    await screen.findByTestId('change-review');
    expect(checks).toEqual([['ANY', '/hello']]);
    expect(drafts).toEqual([
      { existingApiId: null, newApiName: 'LambdaMicroservice', resourcePath: '/hello', method: 'ANY', security: 'ApiKey', stage: 'prod' },
    ]);
    await fireEvent.click(screen.getByTestId('apply-change'));
    expect((await screen.findByTestId('revealed-value')).textContent).toBe('k3y-v4lue');
  });

  it('maps a queue picked from the list, offering the policy template the role lacks', async () => {
    const queue = 'arn:aws:sqs:us-east-1:123456789012:orders';
    const drafts: MappingDraft[] = [];
    const toggled: unknown[] = [];
    await sandboxBackend((cmd, args) => {
      if (cmd === 'list_triggers') {
        return {
          ...listed,
          rules: [],
          mappings: [
            {
              uuid: 'u-1',
              sourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
              kind: 'Kinesis',
              batchSize: 100,
              batchingWindowSeconds: 0,
              startingPosition: 'LATEST',
              state: 'Enabled',
              functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
            },
          ],
        };
      }
      if (cmd === 'set_mapping_enabled') {
        toggled.push([args.uuid, args.enabled]);
        return null;
      }
      if (cmd === 'list_event_sources') {
        return { context, sources: [{ arn: queue, kind: 'Sqs', name: 'orders' }], unavailable: ['Kinesis streams: Access denied.'] };
      }
      if (cmd === 'check_mapping_role') {
        return {
          role: 'hello-role',
          missing: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
          template: {
            id: 'sqs-poller',
            name: 'SQS poller',
            description: '',
            always: false,
            managedPolicy: 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
            inlinePolicy: null,
            checkedByLambda: [],
          },
        };
      }
      if (cmd === 'plan_mapping') {
        drafts.push(args.draft as MappingDraft);
        return review;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(TriggersTab, { functionName: 'hello', under });
    const mapping = await screen.findByTestId('mapping');
    expect(mapping.textContent).toContain('Kinesis stream clicks');
    expect(mapping.textContent).toContain('from LATEST');
    await fireEvent.click(within(mapping).getByRole('button', { name: 'Disable' }));
    expect(toggled).toEqual([['u-1', false]]);

    await fireEvent.click(screen.getByTestId('add-mapping'));
    const pick = await screen.findByTestId('source-pick');
    expect(screen.getByText('Not listed: Kinesis streams: Access denied.')).toBeTruthy();
    await fireEvent.change(pick, { target: { value: queue } });
    expect((screen.getByTestId('source-arn') as HTMLInputElement).value).toBe(queue);
    const lacks = await screen.findByTestId('role-lacks', {}, { timeout: 2000 });
    expect(lacks.textContent).toContain('sqs:ReceiveMessage');
    expect(lacks.textContent).toContain('AWSLambdaSQSQueueExecutionRole');
    expect((screen.getByTestId('add-policy') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('review-mapping'));
    await screen.findByTestId('change-review');
    expect(drafts).toEqual([{ eventSourceArn: queue, batchSize: 10, batchingWindowSeconds: 0, startingPosition: null, addPolicy: true }]);
  });

  it('calls the function URL, and makes one with the auth and CORS chosen', async () => {
    const calls: UrlCallRequest[] = [];
    const drafts: UrlDraft[] = [];
    let withUrl = true;
    await sandboxBackend((cmd, args) => {
      if (cmd === 'list_triggers') {
        return {
          ...listed,
          rules: [],
          url: withUrl ? { url: 'http://127.0.0.1:4000/lambda-url/hello/', auth: 'None', cors: { allowOrigins: ['*'], allowMethods: [], allowHeaders: [], exposeHeaders: [], maxAgeSeconds: null, allowCredentials: false } } : null,
        };
      }
      if (cmd === 'call_function_url') {
        calls.push(args.request as UrlCallRequest);
        return { url: 'http://127.0.0.1:4000/lambda-url/hello/', status: 200, headers: [], body: '"hi"', elapsedMs: 3, signed: false };
      }
      if (cmd === 'remove_function_url') {
        withUrl = false;
        return null;
      }
      if (cmd === 'plan_function_url') {
        drafts.push(args.draft as UrlDraft);
        return review;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(TriggersTab, { functionName: 'hello', under });
    const item = await screen.findByTestId('url-trigger');
    expect(within(item).getByTestId('function-url').textContent).toBe('http://127.0.0.1:4000/lambda-url/hello/');
    expect(screen.queryByTestId('add-url')).toBeNull();
    await fireEvent.click(within(item).getByTestId('url-call-it'));
    await fireEvent.click(screen.getByTestId('call-send'));
    expect((await screen.findByTestId('call-status')).textContent).toBe('200');
    expect(calls).toEqual([{ method: 'GET', path: '/', headers: [], body: '' }]);

    await fireEvent.click(within(item).getByRole('button', { name: 'Remove…' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove trigger' }));
    await screen.findByTestId('no-triggers');
    await fireEvent.click(screen.getByTestId('add-url'));
    await fireEvent.input(screen.getByLabelText('Allowed origins, one a line'), { target: { value: 'https://example.com\nhttps://b.example' } });
    await fireEvent.click(screen.getByLabelText('GET'));
    await fireEvent.click(screen.getByTestId('review-url'));
    await screen.findByTestId('change-review');
    expect(drafts).toEqual([
      {
        auth: 'None',
        cors: {
          allowOrigins: ['https://example.com', 'https://b.example'],
          allowMethods: ['GET'],
          allowHeaders: [],
          exposeHeaders: [],
          maxAgeSeconds: null,
          allowCredentials: false,
        },
      },
    ]);
  });
});
