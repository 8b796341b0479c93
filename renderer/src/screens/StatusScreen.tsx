// About / Status: what is running (version, host, platform, Node), the state of the encrypted local
// store, and every health check `dawsos doctor` runs, all read through the bridge. Each half loads,
// fails and retries on its own, and a failure shows the typed error code and message the core sent.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { DawsosBridge } from '../../../shared/ipc';
import type { AppStatus } from '../../../shared/ipc/app';
import type { IpcError, IpcResult } from '../../../shared/ipc/contract';
import type { StoreStatus } from '../../../shared/ipc/store';
import { Icon } from '../components/Icon';
import { formatBytes, formatDuration, HOST_LABELS } from './status-format';

type Load<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: IpcError };

const LOADING = { state: 'loading' } as const;

/** The call never reached the core (the transport itself failed); the router never answers this way. */
const TRANSPORT_FAILED: IpcError = {
  code: 'TRANSPORT_FAILED',
  message: 'The request did not reach the DawsOS core.',
};

async function settle<T>(call: () => Promise<IpcResult<T>>): Promise<Load<T>> {
  try {
    const result = await call();
    return result.ok ? { state: 'ok', value: result.value } : { state: 'error', error: result.error };
  } catch {
    return { state: 'error', error: TRANSPORT_FAILED };
  }
}

const STORE_STATES: Record<StoreStatus['state'], { label: string; tone: string; explain: string }> = {
  absent: {
    label: 'Absent',
    tone: 'neutral',
    explain: 'No store yet. DawsOS creates it, encrypted, the first time it has something to keep.',
  },
  locked: {
    label: 'Locked',
    tone: 'warn',
    explain: 'The encrypted store exists but has not been unlocked in this session.',
  },
  open: { label: 'Open', tone: 'ok', explain: 'Unlocked and in use.' },
};

function Skeleton({ rows }: { rows: number }) {
  return (
    <div className="skeleton" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <span key={i} />
      ))}
    </div>
  );
}

function ErrorPanel({ what, error, onRetry }: { what: string; error: IpcError; onRetry: () => void }) {
  return (
    <div className="inline-error" role="alert">
      <div className="inline-error-head">
        <Icon name="alert" size={18} />
        <strong>Could not load {what}</strong>
      </div>
      <p className="inline-error-message">{error.message}</p>
      <div className="inline-error-foot">
        <span className="error-code">
          Code <code data-testid="error-code">{error.code}</code>
        </span>
        <button type="button" className="button" onClick={onRetry}>
          <Icon name="refresh" size={15} />
          Try again
        </button>
      </div>
    </div>
  );
}

function Field({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function AppCard({ load, onRetry }: { load: Load<AppStatus>; onRetry: () => void }) {
  return (
    <section className="panel" aria-labelledby="app-card-title" aria-busy={load.state === 'loading'}>
      <h2 className="panel-title" id="app-card-title">
        Application
      </h2>
      {load.state === 'loading' && <Skeleton rows={6} />}
      {load.state === 'error' && (
        <ErrorPanel what="application status" error={load.error} onRetry={onRetry} />
      )}
      {load.state === 'ok' && (
        <dl className="kv">
          <Field label="Name" testId="app-name">
            {load.value.name}
          </Field>
          <Field label="Version" testId="app-version">
            <span className="num">{load.value.version}</span>
          </Field>
          <Field label="Host" testId="app-host">
            {HOST_LABELS[load.value.host]} <span className="muted">({load.value.host})</span>
          </Field>
          <Field label="Platform" testId="app-platform">
            {load.value.platform}
          </Field>
          <Field label="Node.js" testId="app-node">
            <span className="num">{load.value.node}</span>
          </Field>
          <Field label="Uptime" testId="app-uptime">
            <span className="num">{formatDuration(load.value.uptimeSeconds)}</span>
          </Field>
        </dl>
      )}
    </section>
  );
}

function StoreCard({ load, onRetry }: { load: Load<StoreStatus>; onRetry: () => void }) {
  return (
    <section className="panel" aria-labelledby="store-card-title" aria-busy={load.state === 'loading'}>
      <h2 className="panel-title" id="store-card-title">
        Local store
      </h2>
      {load.state === 'loading' && <Skeleton rows={4} />}
      {load.state === 'error' && <ErrorPanel what="store status" error={load.error} onRetry={onRetry} />}
      {load.state === 'ok' && (
        <>
          <dl className="kv">
            <Field label="State" testId="store-state">
              <span
                className={`badge badge-${STORE_STATES[load.value.state].tone}`}
                data-state={load.value.state}
              >
                {STORE_STATES[load.value.state].label}
              </span>
            </Field>
            <Field label="Schema version" testId="store-schema">
              <span className="num">{load.value.schemaVersion ?? '—'}</span>
            </Field>
            <Field label="Size" testId="store-size">
              <span className="num">
                {load.value.sizeBytes === null ? '—' : formatBytes(load.value.sizeBytes)}
              </span>
            </Field>
            <Field label="Location" testId="store-path">
              <code className="path">{load.value.path}</code>
            </Field>
          </dl>
          <p className="panel-note">{STORE_STATES[load.value.state].explain}</p>
        </>
      )}
    </section>
  );
}

function ChecksCard({ load }: { load: Load<AppStatus> }) {
  const checks = load.state === 'ok' ? load.value.checks : [];
  const passing = checks.filter((check) => check.ok).length;
  return (
    <section className="panel" aria-labelledby="checks-card-title" aria-busy={load.state === 'loading'}>
      <div className="panel-head">
        <h2 className="panel-title" id="checks-card-title">
          Health checks
        </h2>
        {load.state === 'ok' && (
          <span className="panel-aside num">
            {passing} of {checks.length} passing
          </span>
        )}
      </div>
      {load.state === 'loading' && <Skeleton rows={5} />}
      {load.state === 'error' && (
        <p className="panel-empty">
          Health checks arrive with the application status, which could not be loaded (see above).
        </p>
      )}
      {load.state === 'ok' && (
        <table className="table checks">
          <thead>
            <tr>
              <th scope="col" className="col-status">
                Result
              </th>
              <th scope="col" className="col-name">
                Check
              </th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((check) => (
              <tr key={check.name} data-testid="health-check" data-ok={check.ok}>
                <td>
                  <span className={`badge ${check.ok ? 'badge-ok' : 'badge-fail'}`}>
                    <Icon name={check.ok ? 'check' : 'cross'} size={13} />
                    {check.ok ? 'OK' : 'Fail'}
                  </span>
                </td>
                <th scope="row" className="check-name">
                  {check.name}
                </th>
                <td className="check-detail">{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Summary({ app, store }: { app: Load<AppStatus>; store: Load<StoreStatus> }) {
  let tone = 'neutral';
  let text = 'Checking this installation…';
  if (app.state === 'error' || store.state === 'error') {
    tone = 'fail';
    text = 'Status could not be read completely';
  } else if (app.state === 'ok') {
    const failing = app.value.checks.filter((check) => !check.ok).length;
    tone = failing === 0 ? 'ok' : 'warn';
    text =
      failing === 0
        ? `All ${app.value.checks.length} health checks pass`
        : `${failing} of ${app.value.checks.length} health checks need attention`;
  }
  return (
    <div className={`summary summary-${tone}`} role="status" data-testid="status-summary">
      <Icon name={tone === 'ok' ? 'check' : tone === 'neutral' ? 'status' : 'alert'} size={18} />
      <span>{text}</span>
    </div>
  );
}

export function StatusScreen({ bridge }: { bridge: DawsosBridge }) {
  const [app, setApp] = useState<Load<AppStatus>>(LOADING);
  const [store, setStore] = useState<Load<StoreStatus>>(LOADING);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setApp(LOADING);
    setStore(LOADING);
    const [appResult, storeResult] = await Promise.all([
      settle(() => bridge.app.status({})),
      settle(() => bridge.store.status({})),
    ]);
    // A later refresh (or leaving the screen) supersedes this one.
    if (mine !== generation.current) return;
    setApp(appResult);
    setStore(storeResult);
    setCheckedAt(new Date());
  }, [bridge]);

  useEffect(() => {
    void load();
    return () => {
      generation.current++;
    };
  }, [load]);

  const retry = () => void load();
  const busy = app.state === 'loading' || store.state === 'loading';

  return (
    <div className="status">
      <div className="toolbar">
        <Summary app={app} store={store} />
        <div className="toolbar-right">
          {checkedAt && (
            <span className="muted num">
              Checked at <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>
            </span>
          )}
          <button type="button" className="button" onClick={retry} disabled={busy}>
            <Icon name="refresh" size={15} />
            {busy ? 'Checking…' : 'Refresh'}
          </button>
        </div>
      </div>
      <div className="status-grid">
        <AppCard load={app} onRetry={retry} />
        <StoreCard load={store} onRetry={retry} />
      </div>
      <ChecksCard load={app} />
    </div>
  );
}
