// A readable summary of an envelope for the terminal (`dawsos run` without --json, `dawsos demo`):
// the headline figures of each panel. Percentages are the exact decimal returns x 100, rounded for
// display only; the JSON keeps every digit.
import type { PatternEnvelope } from '../../shared/ipc/patterns';

type Json = Record<string, unknown>;

function pct(value: unknown, places = 2): string {
  if (typeof value === 'number') return `${(value * 100).toFixed(places)} %`;
  if (typeof value !== 'string') return 'n/a';
  const n = Number(value);
  return Number.isFinite(n) ? `${(n * 100).toFixed(places)} %` : 'n/a';
}

function amount(value: unknown, currency: unknown): string {
  if (typeof value !== 'string') return 'n/a';
  const [int, frac = ''] = value.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}.${(frac + '00').slice(0, 2)} ${typeof currency === 'string' ? currency : ''}`.trim();
}

function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

export function summarizeEnvelope(envelope: PatternEnvelope): string[] {
  const lines = [
    `${envelope.pattern_id} · portfolio ${envelope.portfolio_id}`,
    `  commit ${envelope.ledger_commit_hash.slice(0, 12)} · pack ${envelope.pricing_pack_id.slice(0, 12)} · trace ${envelope.trace_id}`,
  ];
  for (const name of Object.keys(envelope.panels).sort()) {
    const panel = envelope.panels[name]!;
    const d = obj(panel.data);
    const flag = panel.stale ? ' (stale)' : '';
    if (!d) {
      lines.push(`  ${name}: no data${flag}${panel.message ? ` - ${panel.message}` : ''}`);
      continue;
    }
    const base = d.base;
    let text: string;
    switch (name) {
      case 'valuation':
      case 'holdings':
        text = `value ${amount(d.total_value, base)} on ${String(d.as_of)}, unrealized ${amount(d.unrealized, base)}, ${(d.holdings as unknown[]).length} positions`;
        break;
      case 'performance':
      case 'returns': {
        const twr = obj(d.twr);
        const mwr = obj(obj(d.mwr)?.xirr);
        const bench = obj(d.benchmark);
        text = `(${String(d.from)}, ${String(d.to)}] TWR ${pct(twr?.cumulativeReturn)} (annualised ${pct(twr?.annualisedReturn)}), MWR ${mwr?.defined ? pct(mwr.rate) : 'not defined'}`;
        if (bench?.defined) text += `, benchmark ${String(bench.commodity)} ${pct(bench.benchmarkReturn)}`;
        break;
      }
      case 'risk': {
        const vol = obj(d.volatility);
        const sharpe = obj(d.sharpe);
        const dd = obj(d.drawdown);
        const var95 = (d.valueAtRisk as Json[] | undefined)?.find((v) => v.confidence === '0.95');
        text = `volatility ${vol?.defined ? pct(vol.annualised) : 'n/a'}, Sharpe ${sharpe?.defined ? Number(sharpe.value).toFixed(2) : 'n/a'}, max drawdown ${dd?.defined ? pct(dd.maxDrawdown) : 'n/a'}, VaR 95 % ${var95?.defined ? pct(var95.valueAtRisk) : 'n/a'}`;
        break;
      }
      case 'pnl': {
        const t = obj(d.totals);
        text = `unrealized ${amount(t?.unrealized, base)}, realized ${amount(t?.realized, base)}, net ${amount(t?.net, base)}`;
        break;
      }
      case 'income': {
        const t = obj(d.totals);
        text = `dividends ${amount(t?.dividends, base)}, interest ${amount(t?.interest, base)}, fees ${amount(t?.fees, base)}, taxes ${amount(t?.taxes, base)}`;
        break;
      }
      case 'allocation': {
        const dims = obj(d.dimensions);
        const ac = (dims?.asset_class as Json[] | undefined) ?? [];
        text = ac.map((b) => `${String(b.key)} ${pct(b.weight, 1)}`).join(', ');
        break;
      }
      case 'concentration':
        text = d.defined
          ? `HHI ${String(d.hhi)}, ${(d.breaches as unknown[]).length} threshold breaches`
          : String(d.reason);
        break;
      case 'regime':
        text = `${String(d.regime)} (${String(d.rule_version)}) as of ${String(d.as_of)}: ${String(d.description)}`;
        break;
      case 'indicators':
        text = `${Object.keys(obj(d.series) ?? {}).length} series up to ${String(d.as_of)}`;
        break;
      case 'digest':
        text = `${String(d.count)} articles about holdings`;
        break;
      case 'reconciliation':
        text = `${String(d.status)}: ${String(d.positions_checked)} positions checked, ${(d.differences as unknown[]).length} above ${String(d.tolerance_bp)} bp`;
        break;
      case 'fundamentals':
        text = `${Object.keys(obj(d.commodities) ?? {}).length} commodities classified`;
        break;
      default:
        text = 'see --json';
    }
    lines.push(`  ${name}: ${text}${flag}${panel.stale && panel.message ? ` - ${panel.message}` : ''}`);
  }
  return lines;
}
