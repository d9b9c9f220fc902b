import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '$lib/stores/session.svelte';
import { overviewOf, regions, resetSession, sandbox, work } from '$lib/testing';
import ContextSwitcher from './ContextSwitcher.svelte';

const navigation = vi.hoisted(() => ({ goto: vi.fn() }));
vi.mock('$app/navigation', () => navigation);

let remembered: unknown[] = [];
let prefixes: string[] = [];
const groups = ['/aws/lambda/hello-world', '/aws/lambda/hello-api', 'hello-audit'];

beforeEach(async () => {
  resetSession();
  remembered = [];
  prefixes = [];
  navigation.goto.mockClear();
  mockIPC((cmd, args) => {
    if (cmd === 'list_log_groups') {
      const { prefix } = args as { prefix: string };
      prefixes.push(prefix);
      return {
        context: { profileId: 'sandbox', region: 'us-east-1', accountId: '123456789012' },
        groups: groups.filter((name) => name.startsWith(prefix)).map((name) => ({ name, storedBytes: null, retentionDays: null })),
        nextToken: null,
      };
    }
    if (cmd === 'list_profiles') return overviewOf([sandbox, work], sandbox);
    if (cmd === 'list_regions') return regions;
    if (cmd === 'select_context') {
      remembered.push(args);
      return null;
    }
    throw `unexpected command ${cmd}`;
  });
  await session.load();
});
afterEach(() => clearMocks());

describe('the quick switcher', () => {
  it('opens on Ctrl+K, filters by typing and switches region on Enter', async () => {
    render(ContextSwitcher);
    expect(screen.getByTestId('context-profile').textContent).toBe('Local sandbox');
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const search = screen.getByLabelText('Search profiles, regions and log groups');
    expect(document.activeElement).toBe(search);
    await fireEvent.input(search, { target: { value: 'oregon' } });
    expect(screen.queryAllByTestId('switch-profile')).toHaveLength(0);
    expect(screen.getAllByTestId('switch-region').map((li) => li.textContent)).toEqual([
      expect.stringContaining('us-west-2'),
    ]);
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(screen.queryByTestId('switcher')).toBeNull();
    expect(session.selection).toEqual({ profileId: 'sandbox', region: 'us-west-2' });
    expect(remembered).toEqual([{ selection: { profileId: 'sandbox', region: 'us-west-2' } }]);
    expect(screen.getByTestId('context-region').textContent).toBe('us-west-2');
  });

  it('moves with the arrow keys and switches to a profile in its default region', async () => {
    render(ContextSwitcher);
    await fireEvent.click(screen.getByTestId('context'));
    const search = screen.getByLabelText('Search profiles, regions and log groups');
    await fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(session.selection).toEqual({ profileId: 'p-work', region: 'eu-west-1' });
    expect(screen.getByTestId('context').classList.contains('production')).toBe(true);
  });

  it('closes on Escape without switching', async () => {
    render(ContextSwitcher);
    await fireEvent.click(screen.getByTestId('context'));
    await fireEvent.keyDown(screen.getByLabelText('Search profiles, regions and log groups'), { key: 'Escape' });
    expect(screen.queryByTestId('switcher')).toBeNull();
    expect(session.selection).toEqual({ profileId: 'sandbox', region: 'us-east-1' });
    expect(remembered).toEqual([]);
  });

  it("lists log groups after `logs`, the functions' groups first, and opens one in the explorer", async () => {
    render(ContextSwitcher);
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const search = screen.getByLabelText('Search profiles, regions and log groups');
    await fireEvent.input(search, { target: { value: 'logs hello' } });
    expect(screen.queryAllByTestId('switch-profile')).toHaveLength(0);
    await vi.waitFor(() => expect(screen.getAllByTestId('switch-group')).toHaveLength(3));
    expect(prefixes).toEqual(['/aws/lambda/hello', 'hello']);
    expect(screen.getAllByTestId('switch-group').map((li) => li.textContent?.trim())).toEqual([
      '/aws/lambda/hello-world',
      '/aws/lambda/hello-api',
      'hello-audit',
    ]);
    await fireEvent.keyDown(search, { key: 'ArrowDown' });
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(navigation.goto).toHaveBeenCalledWith('/logs?group=%2Faws%2Flambda%2Fhello-api');
    expect(screen.queryByTestId('switcher')).toBeNull();
    expect(session.selection).toEqual({ profileId: 'sandbox', region: 'us-east-1' });
  });

  it('says when no log group matches', async () => {
    render(ContextSwitcher);
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    await fireEvent.input(screen.getByLabelText('Search profiles, regions and log groups'), { target: { value: 'logs /nothing' } });
    await vi.waitFor(() => expect(screen.getByTestId('switcher-none').textContent).toContain('No log group starts with “/nothing”.'));
    expect(prefixes).toEqual(['/nothing']);
  });
});
