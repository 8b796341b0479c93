// What the page can and cannot do through `window.dawsos`: every call crosses the real router, which
// validates the request, refuses unknown channels, rate-limits each window and accepts calls only
// from the main frame of the app's own origin.
import { RouterErrorCode } from '../../shared/ipc/contract';
import { startPageServer, type StaticServer } from '../support/browser-host';
import { expect, test, type PageScope } from './fixtures';

const SENTINEL = 'SENTINEL-7f3a9c';

test('a malformed request gets BAD_REQUEST naming the field, never echoing the value', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/overview'));
  const results = await page.evaluate(async (sentinel) => {
    const { dawsos } = globalThis as unknown as PageScope;
    const call = dawsos.app as unknown as Record<string, (request: unknown) => Promise<unknown>>;
    return {
      extraKey: await call.status!({ bogus: sentinel }),
      wrongType: await call.openExternal!({ url: 424242 }),
      notAnObject: await call.status!(sentinel),
    };
  }, SENTINEL);

  for (const result of Object.values(results)) {
    expect(result).toMatchObject({ ok: false, error: { code: RouterErrorCode.BadRequest } });
    expect(JSON.stringify(result)).not.toContain(SENTINEL);
  }
  expect(results.wrongType).toEqual({
    ok: false,
    error: { code: 'BAD_REQUEST', message: expect.stringContaining('url') as unknown },
  });
  expect(JSON.stringify(results.wrongType)).not.toContain('424242');
  // The refused call never reached the handler.
  expect(host.openedExternally).toEqual([]);
});

test('a channel outside the contract is refused with UNKNOWN_CHANNEL', async ({ appPage: page, host }) => {
  await page.goto(host.url('#/overview'));
  const results = await page.evaluate(async () => {
    const { __dawsosInvoke: invoke, dawsos } = globalThis as unknown as PageScope;
    return {
      bridgeHasNoSuchMethod: typeof (dawsos.app as unknown as Record<string, unknown>).shutdown,
      unknown: await invoke('app:shutdown', {}),
      prototype: await invoke('__proto__', {}),
      notAString: await invoke(42, {}),
      known: await invoke('store:status', {}),
    };
  });
  expect(results.bridgeHasNoSuchMethod).toBe('undefined');
  for (const refused of [results.unknown, results.prototype, results.notAString]) {
    expect(refused).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel.' } });
  }
  expect(results.known).toMatchObject({ ok: true, value: { state: 'absent' } });
});

test('50 rapid calls from one window: the first 20 are served, the rest get RATE_LIMITED', async ({
  appPage: page,
  host,
}) => {
  // The Overview screen makes no calls of its own, so the window's bucket is full. The router's clock
  // is held still so no token comes back during the burst, however slow the machine.
  await page.goto(host.url('#/overview'));
  await expect(page.getByTestId('empty-state')).toBeVisible();
  host.clock.freeze();
  const results = await page.evaluate(async () => {
    const { dawsos } = globalThis as unknown as PageScope;
    return Promise.all(Array.from({ length: 50 }, () => dawsos.store.status({})));
  });

  expect(results).toHaveLength(50);
  for (const result of results.slice(0, 20))
    expect(result).toMatchObject({ ok: true, value: { state: 'absent' } });
  for (const result of results.slice(20)) {
    expect(result).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'Too many requests; try again in a moment.' },
    });
  }

  // Tokens come back with time: a second later (10 a second) ten more calls are served.
  host.clock.advance(1_000);
  const later = await page.evaluate(async () => {
    const { dawsos } = globalThis as unknown as PageScope;
    const all = await Promise.all(Array.from({ length: 12 }, () => dawsos.store.status({})));
    return all.map((result) => result.ok);
  });
  expect(later).toEqual([...Array<boolean>(10).fill(true), false, false]);

  // The limit is per window: a second page has its own full bucket.
  const other = await page.context().newPage();
  await host.install(other);
  await other.goto(host.url('#/overview'));
  const fresh = await other.evaluate(() =>
    (globalThis as unknown as PageScope).dawsos.store.status({}).then((result) => result.ok),
  );
  expect(fresh).toBe(true);
  expect(host.senderIdOf(other)).not.toBe(host.senderIdOf(page));
});

test.describe('calls from anywhere but the app window are refused', () => {
  let foreign: StaticServer;

  test.beforeEach(async () => {
    foreign = await startPageServer({
      '/': '<!doctype html><title>Elsewhere</title><p>A site that is not DawsOS.</p>',
      '/frame': '<!doctype html><title>Foreign frame</title><p>Framed content from another origin.</p>',
    });
  });

  test.afterEach(async () => {
    await foreign.close();
  });

  test('the main frame of another origin gets FORBIDDEN_SENDER', async ({ appPage: page, host }) => {
    expect(foreign.origin).not.toBe(host.origin);
    await page.goto(foreign.url('/'));
    const result = await page.evaluate(() => (globalThis as unknown as PageScope).dawsos.store.status({}));
    expect(result).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER', message: 'Calls are accepted only from the DawsOS window.' },
    });
    expect(host.logs.text()).toContain('ipc call refused: sender not allowed');
  });

  test('frames inside an app-origin page get FORBIDDEN_SENDER, whatever their origin', async ({
    appPage: page,
    host,
  }) => {
    const sameOrigin = host.addTestPage('blank.html', '<!doctype html><title>Same origin frame</title>');
    const framesPage = host.addTestPage(
      'frames.html',
      `<!doctype html><title>Frames</title>
       <iframe name="foreign" src="${foreign.url('/frame')}"></iframe>
       <iframe name="same" src="${sameOrigin}"></iframe>`,
    );
    await page.goto(framesPage);
    const foreignFrame = page.frame({ name: 'foreign' });
    const sameFrame = page.frame({ name: 'same' });
    expect(foreignFrame).not.toBeNull();
    expect(sameFrame).not.toBeNull();
    await foreignFrame!.waitForLoadState();
    await sameFrame!.waitForLoadState();
    expect(new URL(foreignFrame!.url()).origin).toBe(foreign.origin);
    expect(new URL(sameFrame!.url()).origin).toBe(host.origin);

    const call = () => (globalThis as unknown as PageScope).dawsos.store.status({});
    const forbidden = {
      ok: false,
      error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) as unknown },
    };
    // The page's own main frame, at the app's origin, is served: the refusals below are about the frames.
    expect(await page.mainFrame().evaluate(call)).toMatchObject({ ok: true });
    expect(await foreignFrame!.evaluate(call)).toEqual(forbidden);
    expect(await sameFrame!.evaluate(call)).toEqual(forbidden);
    // The raw binding is refused the same way: the check is the router's, not the bridge's.
    const raw = () => (globalThis as unknown as PageScope).__dawsosInvoke('app:status', {});
    expect(await foreignFrame!.evaluate(raw)).toEqual(forbidden);
  });
});

test('events pushed by the core reach the page through one typed subscription', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/overview'));
  await page.evaluate(() => {
    const scope = globalThis as unknown as PageScope & { received: unknown[] };
    scope.received = [];
    scope.dawsos.events.onTaskProgress((payload) => scope.received.push(payload));
  });
  const progress = { taskId: 't1', kind: 'ledger-load', done: 3, total: 10, message: 'Reading files' };
  await host.emit(page, 'taskProgress', progress);
  expect(await page.evaluate(() => (globalThis as unknown as { received: unknown[] }).received)).toEqual([
    progress,
  ]);
  const subscribeWithoutListener = await page.evaluate(() => {
    try {
      (globalThis as unknown as PageScope).dawsos.events.onTaskProgress(undefined as never);
      return 'accepted';
    } catch (error) {
      return (error as Error).name;
    }
  });
  expect(subscribeWithoutListener).toBe('TypeError');
});
