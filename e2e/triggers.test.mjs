// The Triggers tab in the real window, on the Local sandbox, on the api microservice blueprint's
// function: an every-minute schedule is built, checked with its next runs, reviewed as CLI commands
// and added; a REST API is checked, reviewed and published; both are listed with the invoke URL,
// which the local gateway serves (to "Call it" and to a plain HTTP client alike); and the sandbox
// fires the schedule, so its run shows in the logs within about a minute. On the sqs poller
// blueprint's function, a queue picked from the list is mapped with the policy template its role
// lacked, and a message sent to the queue reaches the function through the sandbox's delivery.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox, openApp, screenshot } from './support.mjs';

const UI_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;
/** A new every-minute schedule first fires a minute after the app sees it; a tick is 5 s. */
const FIRST_RUN_TIMEOUT_MS = 80_000;
let sandbox;
let session;

before(async () => {
  sandbox = new Sandbox();
  sandbox.start();
  sandbox.seedBlueprint('api-microservice', 'api-microservice');
  sandbox.seedBlueprint('sqs-poller', 'sqs-poller');
  session = await openApp(sandbox.url);
});

after(async () => {
  await session?.close();
  sandbox?.remove();
});

/** Calls the sandbox's SQS with its JSON protocol, as the aws CLI would. */
async function sqs(action, body) {
  const answer = await fetch(sandbox.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${action}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/sqs/aws4_request',
    },
    body: JSON.stringify(body),
  });
  assert.equal(answer.status, 200, await answer.clone().text());
  return answer.json();
}

async function text(browser, selector) {
  return browser.$(selector).getText();
}

test('a schedule and a REST API are added, listed, called, and fired by the sandbox', { timeout: 300_000 }, async () => {
  const { browser } = session;
  await browser.$('[data-testid="function-name"]=api-microservice').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="function-name"]=api-microservice').click();
  await browser.$('[data-testid="tab-triggers"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="tab-triggers"]').click();
  await browser.$('[data-testid="no-triggers"]').waitForExist({ timeout: RUN_TIMEOUT_MS });

  await browser.$('[data-testid="add-schedule"]').click();
  assert.equal(await browser.$('[data-testid="rule-name"]').getValue(), 'api-microservice-every-minute');
  assert.equal(await text(browser, '[data-testid="schedule-expression"]'), 'rate(1 minute)');
  await browser.$('[data-testid="next-runs"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  assert.equal((await browser.$$('[data-testid="next-runs"] tbody tr')).length, 5);
  await screenshot(browser, 'function-triggers-schedule');

  await browser.$('[data-testid="review-schedule"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const [rule, target, permission] = await browser.$$('[data-testid="step-cli"]').map((cli) => cli.getText());
  assert.match(rule, /aws events put-rule[\s\S]*--name api-microservice-every-minute[\s\S]*--schedule-expression 'rate\(1 minute\)'/);
  assert.match(target, /aws events put-targets[\s\S]*function:api-microservice/);
  assert.match(permission, /aws lambda add-permission[\s\S]*--principal events\.amazonaws\.com[\s\S]*--source-arn arn:aws:events:us-east-1:123456789012:rule\/api-microservice-every-minute/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();
  await browser.$('[data-testid="trigger"][data-rule="api-microservice-every-minute"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="trigger"]'), /rate\(1 minute\)[\s\S]*Enabled/);

  // A REST API: the proxy check runs the handler first, then the plan is reviewed and run.
  await browser.$('[data-testid="add-api"]').click();
  assert.equal(await browser.$('[data-testid="api-name"]').getValue(), 'LambdaMicroservice');
  assert.equal(await browser.$('[data-testid="resource-path"]').getValue(), '/api-microservice');
  await screenshot(browser, 'function-triggers-api');
  await browser.$('[data-testid="review-api"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const steps = await browser.$$('[data-testid="step-cli"]').map((cli) => cli.getText());
  assert.equal(steps.length, 6, steps.join('\n\n'));
  assert.match(steps[0], /API_ID=\$\(aws apigateway create-rest-api[\s\S]*--name LambdaMicroservice/);
  assert.match(steps[1], /RESOURCE_ID=\$\(aws apigateway create-resource[\s\S]*--rest-api-id "\$\{API_ID\}"[\s\S]*--path-part api-microservice/);
  assert.match(steps[3], /aws apigateway put-integration[\s\S]*--type AWS_PROXY/);
  assert.match(steps[4], /--principal apigateway\.amazonaws\.com[\s\S]*--source-arn "arn:aws:execute-api:us-east-1:123456789012:\$\{API_ID\}\/\*\/\*\/api-microservice"/);
  assert.match(steps[5], /aws apigateway create-deployment[\s\S]*--stage-name prod/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();

  // Both are listed; the API with the local gateway's invoke URL, which any HTTP client can call.
  const api = browser.$('[data-testid="api-trigger"]');
  await api.waitForExist({ timeout: RUN_TIMEOUT_MS });
  const invokeUrl = await api.$('[data-testid="invoke-url"]').getText();
  assert.match(invokeUrl, /^http:\/\/127\.0\.0\.1:\d+\/[a-z0-9]{10}\/prod\/api-microservice$/);
  assert.equal((await browser.$$('[data-testid="trigger"]')).length, 1);
  const fetched = await fetch(`${invokeUrl}?name=curl`);
  assert.equal(fetched.status, 200);
  assert.equal((await fetched.json()).message, 'Hello, curl!');

  await api.$('[data-testid="call-it"]').click();
  await browser.$('[data-testid="call-path"]').setValue('/api-microservice?name=Ada');
  await browser.$('[data-testid="call-send"]').click();
  await browser.$('[data-testid="call-status"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await text(browser, '[data-testid="call-status"]'), '200');
  const body = JSON.parse(await text(browser, '[data-testid="call-body-out"]'));
  assert.deepEqual(body, { message: 'Hello, Ada!', path: '/api-microservice' });
  await screenshot(browser, 'function-triggers-call');
  await browser.$('button=Close').click();

  // A function URL, open to anyone: the URL and the two statements Lambda wants for it.
  await browser.$('[data-testid="add-url"]').click();
  await browser.$('[data-testid="review-url"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const [urlStep, openStep] = await browser.$$('[data-testid="step-cli"]').map((cli) => cli.getText());
  assert.match(urlStep, /aws lambda create-function-url-config[\s\S]*--auth-type NONE/);
  assert.match(openStep, /--action lambda:InvokeFunctionUrl[\s\S]*--function-url-auth-type NONE[\s\S]*--invoked-via-function-url/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();
  await browser.$('[data-testid="url-trigger"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const functionUrl = await browser.$('[data-testid="function-url"]').getText();
  assert.match(functionUrl, /^http:\/\/127\.0\.0\.1:\d+\/lambda-url\/api-microservice\/$/);
  const viaUrl = await fetch(`${functionUrl}?name=url`);
  assert.equal(viaUrl.status, 200);
  assert.equal((await viaUrl.json()).message, 'Hello, url!');
  await screenshot(browser, 'function-triggers');

  // The sandbox fires the schedule: the scheduled event shows in the function's logs.
  await browser.$('[data-testid="tab-monitor"]').click();
  await browser.$('[data-testid="logs-panel"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(
    async () => {
      await browser.$('[data-testid="logs-refresh"]').click();
      await browser.pause(1_000);
      const events = browser.$('[data-testid="log-events"]');
      return (await events.isExisting()) && /Scheduled Event/.test(await events.getText());
    },
    { timeout: FIRST_RUN_TIMEOUT_MS, interval: 3_000, timeoutMsg: 'the schedule never ran the function' },
  );
  await screenshot(browser, 'function-scheduled-run');
});

test('a queue is mapped with the policy its role lacked, and its messages reach the function', { timeout: 180_000 }, async () => {
  const { browser } = session;
  const { QueueUrl: queueUrl } = await sqs('CreateQueue', { QueueName: 'orders' });
  await browser.$('a=Functions').click();
  await browser.$('[data-testid="function-name"]=sqs-poller').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="function-name"]=sqs-poller').click();
  await browser.$('[data-testid="tab-triggers"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.$('[data-testid="tab-triggers"]').click();
  await browser.$('[data-testid="no-triggers"]').waitForExist({ timeout: RUN_TIMEOUT_MS });

  await browser.$('[data-testid="add-mapping"]').click();
  await browser.$('[data-testid="source-pick"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="source-pick"]').selectByVisibleText('orders');
  await browser.$('[data-testid="role-lacks"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="role-lacks"]'), /sqs:ReceiveMessage[\s\S]*AWSLambdaSQSQueueExecutionRole/);
  assert.equal(await browser.$('[data-testid="add-policy"]').isSelected(), true);
  await screenshot(browser, 'function-triggers-queue');
  await browser.$('[data-testid="review-mapping"]').click();
  await browser.$('[data-testid="change-review"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  const [attach, mapping] = await browser.$$('[data-testid="step-cli"]').map((cli) => cli.getText());
  assert.match(attach, /aws iam attach-role-policy[\s\S]*AWSLambdaSQSQueueExecutionRole/);
  assert.match(mapping, /aws lambda create-event-source-mapping[\s\S]*--event-source-arn arn:aws:sqs:us-east-1:123456789012:orders[\s\S]*--batch-size 10/);
  await browser.$('[data-testid="apply-change"]').click();
  await browser.$('[data-testid="change-done"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  await browser.$('[data-testid="change-close"]').click();
  await browser.$('[data-testid="mapping"]').waitForExist({ timeout: RUN_TIMEOUT_MS });
  assert.match(await text(browser, '[data-testid="mapping"]'), /SQS queue orders[\s\S]*batch 10[\s\S]*Enabled/);

  await sqs('SendMessage', { QueueUrl: queueUrl, MessageBody: 'order 42 shipped' });
  await browser.$('[data-testid="tab-monitor"]').click();
  await browser.$('[data-testid="logs-panel"]').waitForExist({ timeout: UI_TIMEOUT_MS });
  await browser.waitUntil(
    async () => {
      await browser.$('[data-testid="logs-refresh"]').click();
      await browser.pause(1_000);
      const events = browser.$('[data-testid="log-events"]');
      return (await events.isExisting()) && /order 42 shipped/.test(await events.getText());
    },
    { timeout: RUN_TIMEOUT_MS, interval: 2_000, timeoutMsg: 'the queued message never reached the function' },
  );
  const left = await sqs('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
  assert.equal((left.Messages ?? []).length, 0, 'the delivered message was deleted');
});
