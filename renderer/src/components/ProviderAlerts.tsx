// Provider alerts pushed by the core: quota alarms (70/85/95 % of a billing period) and circuit
// breaker changes. Shown above every screen until dismissed; a closed breaker clears its own alert.
// The alert names the provider and counts, never a key.
import { useEffect, useState } from 'react';
import type { DawsosBridge } from '../../../shared/ipc';
import type { ProviderAlert } from '../../../shared/ipc/providers';

const PROVIDER_NAMES: Record<ProviderAlert['provider'], string> = {
  fmp: 'FMP',
  polygon: 'Polygon',
  fred: 'FRED',
  newsapi: 'NewsAPI',
};

export function alertText(alert: ProviderAlert): string {
  const name = PROVIDER_NAMES[alert.provider];
  if (alert.kind === 'quota') {
    return `${name}: ${alert.threshold} % of this period's quota used (${alert.used} of ${alert.quota} requests).`;
  }
  if (alert.state === 'open')
    return `${name} unavailable: showing the last good values; DawsOS retries by itself.`;
  if (alert.state === 'half-open') return `${name}: trying the connection again.`;
  return `${name} is back.`;
}

function alertKey(alert: ProviderAlert): string {
  return `${alert.provider}:${alert.kind}`;
}

export function ProviderAlerts({ bridge }: { bridge: DawsosBridge }) {
  const [alerts, setAlerts] = useState<ProviderAlert[]>([]);

  useEffect(
    () =>
      bridge.events.onProviderAlert((alert) => {
        setAlerts((current) => {
          const others = current.filter((a) => alertKey(a) !== alertKey(alert));
          const cleared = alert.kind === 'breaker' && alert.state === 'closed';
          return cleared ? others : [...others, alert];
        });
      }),
    [bridge],
  );

  if (alerts.length === 0) return null;
  return (
    <ul className="alerts" aria-label="Provider alerts">
      {alerts.map((alert) => (
        <li key={alertKey(alert)} className="alert" role="status">
          <span>{alertText(alert)}</span>
          <button
            type="button"
            className="alert-dismiss"
            aria-label="Dismiss"
            onClick={() => setAlerts((current) => current.filter((a) => alertKey(a) !== alertKey(alert)))}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
