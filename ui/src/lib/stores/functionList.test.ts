import { describe, expect, it } from 'vitest';
import type { AppError, FunctionList } from '$lib/ipc';
import { functionSummary } from '$lib/testing';
import { FunctionListLoader, askForFirstList } from './functionList.svelte';

function listFor(profileId: string, region: string, ...names: string[]): FunctionList {
  return {
    context: { profileId, region, accountId: '123456789012' },
    functions: names.map((name) => functionSummary(name, region)),
  };
}

/** A fetch whose answers the test releases one by one, in any order. */
function controlledFetch() {
  const pending: { profileId: string; region: string; resolve: (list: FunctionList) => void; reject: (e: unknown) => void }[] = [];
  const fetch = (profileId: string, region: string) =>
    new Promise<FunctionList>((resolve, reject) => pending.push({ profileId, region, resolve, reject }));
  return { fetch, pending };
}

describe('FunctionListLoader', () => {
  it('shows the answer it asked for', async () => {
    const loader = new FunctionListLoader(async (p, r) => listFor(p, r, 'alpha'));
    await loader.load('sandbox', 'us-east-1');
    expect(loader.state).toMatchObject({ status: 'loaded', list: { functions: [{ name: 'alpha' }] } });
  });

  it('drops a slow answer for an earlier choice', async () => {
    const { fetch, pending } = controlledFetch();
    const loader = new FunctionListLoader(fetch);
    const first = loader.load('work', 'us-east-1');
    const second = loader.load('personal', 'eu-west-1');
    pending[1]!.resolve(listFor('personal', 'eu-west-1', 'mine'));
    await second;
    pending[0]!.resolve(listFor('work', 'us-east-1', 'theirs'));
    await first;
    expect(loader.state).toMatchObject({ status: 'loaded', list: { context: { profileId: 'personal' } } });
  });

  it('drops an answer tagged with another context than the one asked for', async () => {
    const loader = new FunctionListLoader(async () => listFor('work', 'us-east-1', 'theirs'));
    await loader.load('personal', 'us-east-1');
    expect(loader.state.status).toBe('loading');
  });

  it('keeps the rows on screen while the same context reloads, but not across a switch', async () => {
    const { fetch, pending } = controlledFetch();
    const loader = new FunctionListLoader(fetch);
    const first = loader.load('sandbox', 'us-east-1');
    pending[0]!.resolve(listFor('sandbox', 'us-east-1', 'alpha'));
    await first;
    void loader.load('sandbox', 'us-east-1');
    expect(loader.state).toMatchObject({ status: 'loading', previous: { functions: [{ name: 'alpha' }] } });
    void loader.load('sandbox', 'eu-west-1');
    expect(loader.state).toEqual({ status: 'loading', previous: null });
  });

  it('shows the error of the latest request', async () => {
    const error: AppError = { kind: 'Network', message: 'down', hint: null, field: null };
    const loader = new FunctionListLoader(async () => {
      throw error;
    });
    await loader.load('sandbox', 'us-east-1');
    expect(loader.state).toEqual({ status: 'error', error });
  });

  it('shows the pages of a first load as they arrive, sorted, and keeps a reload whole', async () => {
    let sendPage: (page: FunctionList) => void = () => undefined;
    let finish: (list: FunctionList) => void = () => undefined;
    const loader = new FunctionListLoader(
      (_profileId, _region, onPage) =>
        new Promise<FunctionList>((resolve) => {
          sendPage = onPage;
          finish = resolve;
        }),
    );
    const first = loader.load('sandbox', 'us-east-1');
    sendPage(listFor('sandbox', 'us-east-1', 'delta', 'bravo'));
    expect(loader.shown?.functions.map((f) => f.name)).toEqual(['bravo', 'delta']);
    expect(loader.partial).toBe(true);
    sendPage(listFor('work', 'us-east-1', 'theirs'));
    sendPage(listFor('sandbox', 'us-east-1', 'alpha'));
    expect(loader.state.status).toBe('loading');
    expect(loader.shown?.functions.map((f) => f.name)).toEqual(['alpha', 'bravo', 'delta']);
    finish(listFor('sandbox', 'us-east-1', 'alpha', 'bravo', 'delta'));
    await first;
    expect(loader.state.status).toBe('loaded');
    expect(loader.partial).toBe(false);

    const reload = loader.load('sandbox', 'us-east-1');
    sendPage(listFor('sandbox', 'us-east-1', 'echo'));
    expect(loader.shown?.functions.map((f) => f.name)).toEqual(['alpha', 'bravo', 'delta']);
    expect(loader.partial).toBe(false);
    finish(listFor('sandbox', 'us-east-1', 'echo'));
    await reload;
    expect(loader.shown?.functions.map((f) => f.name)).toEqual(['echo']);
  });

  it('keeps a whole list whole when one of its pages arrives after the answer', async () => {
    let sendPage: (page: FunctionList) => void = () => undefined;
    const loader = new FunctionListLoader(async (profileId, region, onPage) => {
      sendPage = onPage;
      return listFor(profileId, region, 'alpha', 'bravo');
    });
    await loader.load('sandbox', 'us-east-1');
    sendPage(listFor('sandbox', 'us-east-1', 'alpha', 'bravo'));
    expect(loader.state.status).toBe('loaded');
    expect(loader.partial).toBe(false);
    expect(loader.shown?.functions.map((f) => f.name)).toEqual(['alpha', 'bravo']);
  });

  describe('the first list, asked for as the app starts', () => {
    it('is what the first load shows, without asking again', async () => {
      const { fetch: atLaunch, pending } = controlledFetch();
      askForFirstList({ profileId: 'sandbox', region: 'us-east-1' }, atLaunch);
      let askedAgain = 0;
      const loader = new FunctionListLoader(async (p, r) => {
        askedAgain += 1;
        return listFor(p, r, 'asked again');
      });
      const loading = loader.load('sandbox', 'us-east-1');
      pending[0]!.resolve(listFor('sandbox', 'us-east-1', 'alpha'));
      await loading;
      expect(loader.state).toMatchObject({ status: 'loaded', list: { functions: [{ name: 'alpha' }] } });
      expect(askedAgain).toBe(0);
      await loader.load('sandbox', 'us-east-1');
      expect(askedAgain).toBe(1);
    });

    it('shows its pages, those that came before the load took it first, while the rest is read', async () => {
      let sendPage: (page: FunctionList) => void = () => undefined;
      let finish: (list: FunctionList) => void = () => undefined;
      askForFirstList(
        { profileId: 'sandbox', region: 'us-east-1' },
        (_profileId, _region, onPage) =>
          new Promise<FunctionList>((resolve) => {
            sendPage = onPage;
            finish = resolve;
          }),
      );
      sendPage(listFor('sandbox', 'us-east-1', 'delta'));
      const loader = new FunctionListLoader(async (p, r) => listFor(p, r, 'asked again'));
      const loading = loader.load('sandbox', 'us-east-1');
      expect(loader.shown?.functions.map((f) => f.name)).toEqual(['delta']);
      sendPage(listFor('sandbox', 'us-east-1', 'bravo'));
      expect(loader.shown?.functions.map((f) => f.name)).toEqual(['bravo', 'delta']);
      expect(loader.partial).toBe(true);
      finish(listFor('sandbox', 'us-east-1', 'alpha', 'bravo', 'delta'));
      await loading;
      expect(loader.state).toMatchObject({ status: 'loaded', list: { functions: [{ name: 'alpha' }, { name: 'bravo' }, { name: 'delta' }] } });
    });

    it('shows its error as any answer', async () => {
      const error: AppError = { kind: 'Network', message: 'down', hint: null, field: null };
      askForFirstList({ profileId: 'sandbox', region: 'us-east-1' }, async () => {
        throw error;
      });
      const loader = new FunctionListLoader(async (p, r) => listFor(p, r, 'asked again'));
      await loader.load('sandbox', 'us-east-1');
      expect(loader.state).toEqual({ status: 'error', error });
    });

    it('is dropped when the first load is for another region, and never shown after', async () => {
      const { fetch: atLaunch, pending } = controlledFetch();
      askForFirstList({ profileId: 'sandbox', region: 'us-east-1' }, atLaunch);
      const asked: string[] = [];
      const loader = new FunctionListLoader(async (p, r) => {
        asked.push(r);
        return listFor(p, r, `listed in ${r}`);
      });
      await loader.load('sandbox', 'eu-west-1');
      pending[0]!.resolve(listFor('sandbox', 'us-east-1', 'from launch'));
      await loader.load('sandbox', 'us-east-1');
      expect(asked).toEqual(['eu-west-1', 'us-east-1']);
      expect(loader.state).toMatchObject({ status: 'loaded', list: { functions: [{ name: 'listed in us-east-1' }] } });
    });
  });
});
