import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { FoundEvent, LogQuery } from '$lib/ipc';
import { isolateEachTest, sandboxBackend } from '$lib/testing';
import LogExplorer from './LogExplorer.svelte';

const context = { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' };
const under = { profileId: 'sandbox', region: 'us-east-1' };

/** 100,000 lines: 20,000 runs of five lines each, every tenth run failing. */
function manyLines(): FoundEvent[] {
  const events: FoundEvent[] = [];
  for (let run = 0; run < 20_000; run += 1) {
    const id = `00000000-0000-4000-8000-${String(run).padStart(12, '0')}`;
    const at = 1_795_000_000_000 + run * 10;
    const message = run % 10 === 0 ? '[ERROR] KeyError: name' : 'Received GET /hello';
    for (const [offset, text] of [
      `START RequestId: ${id} Version: $LATEST`,
      message,
      `END RequestId: ${id}`,
      `REPORT RequestId: ${id}\tDuration: 1.50 ms\tBilled Duration: 2 ms`,
      'after the run',
    ].entries()) {
      events.push({ eventId: `${run}-${offset}`, stream: 's', timestampMs: at + offset, message: text });
    }
  }
  return events;
}

isolateEachTest();

describe('the log explorer', () => {
  it('draws only the rows in view of 100,000 lines, and jumps to the next error with n', async () => {
    const queries: LogQuery[] = [];
    const events = manyLines();
    await sandboxBackend((cmd, args) => {
      if (cmd === 'filter_log_events') {
        queries.push((args as { query: LogQuery }).query);
        return { context, events, nextToken: null };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(LogExplorer, { group: '/aws/lambda/hello', under });
    const status = await screen.findByText(/100,000 lines/);
    expect(status.textContent).toContain('2000 error lines');
    expect(status.textContent).not.toContain('the first');
    expect(queries[0]).toMatchObject({ group: '/aws/lambda/hello', pattern: '', endMs: null, nextToken: null });
    const drawn = screen.getAllByTestId('log-line').length + screen.getAllByTestId('log-run').length;
    expect(drawn).toBeLessThan(60);
    expect(screen.getAllByTestId('log-run')[0]?.textContent).toContain('00000000-0000-4000-8000-000000000000');

    const lines = screen.getByTestId('log-lines');
    await fireEvent.keyDown(lines, { key: 'n' });
    await fireEvent.keyDown(lines, { key: 'n' });
    expect(screen.getByText('[ERROR] KeyError: name', { selector: 'pre' })).toBeTruthy();

    await fireEvent.input(screen.getByTestId('log-pattern'), { target: { value: 'ERROR' } });
    await fireEvent.click(screen.getByTestId('log-search'));
    expect(queries.at(-1)?.pattern).toBe('ERROR');
  });

  it('keeps the rows scrolled to in their places, and in the list’s order once the scroll settles', async () => {
    await sandboxBackend((cmd) => {
      if (cmd === 'filter_log_events') return { context, events: manyLines(), nextToken: null };
      throw new Error(`unexpected ${cmd}`);
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(LogExplorer, { group: '/aws/lambda/hello', under });
      await screen.findByText(/100,000 lines/);
      const lines = screen.getByTestId('log-lines');
      const tops = () => [...lines.querySelectorAll<HTMLElement>('.row')].map((row) => Number.parseInt(row.style.top, 10) / 22);

      lines.scrollTop = 600 * 22;
      await fireEvent.scroll(lines);
      const drawn = tops();
      expect(drawn.toSorted((a, b) => a - b)).toEqual(Array.from({ length: drawn.length }, (_, offset) => 584 + offset));
      expect(drawn).not.toEqual(drawn.toSorted((a, b) => a - b));

      await vi.advanceTimersByTimeAsync(150);
      expect(tops()).toEqual(drawn.toSorted((a, b) => a - b));
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens on a requested run, searching again until its lines have arrived', async () => {
    const all = manyLines();
    const wanted = '00000000-0000-4000-8000-000000012345';
    let searches = 0;
    await sandboxBackend((cmd) => {
      if (cmd === 'filter_log_events') {
        searches += 1;
        // The first search comes before CloudWatch Logs has the run's lines.
        const events = searches === 1 ? all.filter((event) => !event.eventId.startsWith('12345-')) : all;
        return { context, events, nextToken: null };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(LogExplorer, { group: '/aws/lambda/hello', under, request: wanted });
      await screen.findByText(/Waiting for the lines of request 00000000-0000-4000-8000-000000012345/);
      await vi.advanceTimersByTimeAsync(2_000);
      const detail = await screen.findByText(new RegExp(`START RequestId: ${wanted}`), { selector: 'pre' });
      expect(detail.textContent).toContain(`REPORT RequestId: ${wanted}`);
      expect(searches).toBe(2);
      const lines = screen.getByTestId('log-lines');
      // The run's header is the first row in view: 12,345 runs of six rows above it.
      expect(lines.scrollTop).toBe(12_345 * 6 * 22);
      const runs = screen.getAllByTestId('log-run').map((row) => row.textContent ?? '');
      expect(runs.some((text) => text.includes(wanted))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('follows with the tail Rust chose, says which, and keeps what came while paused', async () => {
    const line = (id: string, message: string): FoundEvent => ({ eventId: id, stream: 's', timestampMs: Date.now(), message });
    const polls: FoundEvent[][] = [[line('a', 'first live line')], [line('b', 'came while paused')], []];
    let mode: 'LiveTail' | 'Polling' = 'LiveTail';
    let stopped = 0;
    await sandboxBackend((cmd) => {
      if (cmd === 'filter_log_events') return { context, events: [], nextToken: null };
      if (cmd === 'start_tail') {
        return { tailId: 't-1', mode, whyPolling: mode === 'Polling' ? 'The Local sandbox does not serve StartLiveTail.' : null };
      }
      if (cmd === 'poll_tail') return polls.shift() ?? [];
      if (cmd === 'stop_tail') {
        stopped += 1;
        return null;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(LogExplorer, { group: '/aws/lambda/hello', under });
      await screen.findByTestId('log-empty');
      await fireEvent.click(screen.getByTestId('log-follow'));
      expect((await screen.findByTestId('follow-mode')).textContent).toContain('Live Tail session (StartLiveTail)');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await screen.findByText('first live line')).toBeTruthy();

      await fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(screen.queryByText('came while paused')).toBeNull();
      await fireEvent.click(await screen.findByRole('button', { name: 'Resume (1 new)' }));
      expect(await screen.findByText('came while paused')).toBeTruthy();

      await fireEvent.click(screen.getByTestId('log-unfollow'));
      expect(stopped).toBe(1);
      mode = 'Polling';
      await fireEvent.click(screen.getByTestId('log-follow'));
      expect((await screen.findByTestId('follow-mode')).textContent).toMatch(/polling FilterLogEvents every 2 s\. The Local sandbox does not serve StartLiveTail\./);
    } finally {
      vi.useRealTimers();
    }
  });
});
