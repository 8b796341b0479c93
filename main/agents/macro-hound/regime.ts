// The macro regime rule (docs/cli.md, "Macro regime rule"), version MACRO_RULE_VERSION.
//
// Indicators, each the last observation on or before as_of (values in percent / percentage points):
//   curve        = T10Y2Y (10-year minus 2-year Treasury yield)
//   cpi_yoy      = CPIAUCSL latest / CPIAUCSL one year before (last observation on or before the
//                  same day a year earlier) - 1, x 100
//   unrate       = UNRATE;  unrate_rise = UNRATE latest - its lowest value over the 12 months up to it
//   fedfunds     = FEDFUNDS; fedfunds_change = latest - value one year before
//   credit       = BAMLC0A0CM (ICE BofA US corporate option-adjusted spread)
// Rules, checked in this order; the first whose conditions all hold names the regime:
//   1 contraction             unrate_rise >= 0.5 and credit >= 1.5
//   2 stagflation             cpi_yoy >= 4.0 and unrate_rise >= 0.3
//   3 late_cycle              curve < 0
//   4 inflationary_tightening cpi_yoy >= 3.0 and fedfunds_change >= 0.5
//   5 easing                  fedfunds_change <= -0.5
//   6 expansion               cpi_yoy < 3.0 and curve >= 0 and credit < 1.5
//   7 neutral                 (always)
// A condition whose indicator is missing does not hold (and the answer lists what was missing).
import type { Decimal } from 'decimal.js';
import { Dec, money } from '../../analytics/decimal';
import type { MacroSeries } from '../data-harvester/sources';

export const MACRO_RULE_VERSION = 'dawsos-macro-regime-v1';

export type IndicatorName =
  'curve' | 'cpi_yoy' | 'unrate' | 'unrate_rise' | 'fedfunds' | 'fedfunds_change' | 'credit';

export interface Indicator {
  name: IndicatorName;
  series: string;
  value: string | null;
  date: string | null;
  /** How it was computed, with the observations used. */
  inputs: { date: string; value: string }[];
}

export interface Condition {
  indicator: IndicatorName;
  op: '>=' | '<' | '<=';
  threshold: string;
  value: string | null;
  holds: boolean;
}

export interface RuleCheck {
  regime: string;
  conditions: Condition[];
  matched: boolean;
}

export interface RegimeResult {
  rule_version: typeof MACRO_RULE_VERSION;
  as_of: string;
  regime: string;
  description: string;
  indicators: Indicator[];
  missing: IndicatorName[];
  rules: RuleCheck[];
}

const RULES: { regime: string; description: string; when: [IndicatorName, Condition['op'], string][] }[] = [
  {
    regime: 'contraction',
    description: 'Unemployment rising fast with wide credit spreads.',
    when: [
      ['unrate_rise', '>=', '0.5'],
      ['credit', '>=', '1.5'],
    ],
  },
  {
    regime: 'stagflation',
    description: 'High inflation while unemployment rises.',
    when: [
      ['cpi_yoy', '>=', '4.0'],
      ['unrate_rise', '>=', '0.3'],
    ],
  },
  { regime: 'late_cycle', description: 'Inverted yield curve (10y below 2y).', when: [['curve', '<', '0']] },
  {
    regime: 'inflationary_tightening',
    description: 'Inflation above 3 % with the policy rate rising.',
    when: [
      ['cpi_yoy', '>=', '3.0'],
      ['fedfunds_change', '>=', '0.5'],
    ],
  },
  {
    regime: 'easing',
    description: 'The policy rate is being cut.',
    when: [['fedfunds_change', '<=', '-0.5']],
  },
  {
    regime: 'expansion',
    description: 'Moderate inflation, positive curve, tight credit spreads.',
    when: [
      ['cpi_yoy', '<', '3.0'],
      ['curve', '>=', '0'],
      ['credit', '<', '1.5'],
    ],
  },
  { regime: 'neutral', description: 'No other rule applies.', when: [] },
];

function yearBefore(date: string): string {
  return `${String(Number(date.slice(0, 4)) - 1).padStart(4, '0')}${date.slice(4)}`;
}

function upTo(series: MacroSeries | undefined, asOf: string) {
  return (series?.observations ?? []).filter((o) => o.date <= asOf);
}

function lastOnOrBefore(obs: { date: string; value: string }[], date: string) {
  let out: { date: string; value: string } | undefined;
  for (const o of obs) if (o.date <= date) out = o;
  return out;
}

const fmt = (d: Decimal): string => money(d.toDecimalPlaces(4, Dec.ROUND_HALF_EVEN));

export function macroRegime(series: Record<string, MacroSeries>, asOf: string): RegimeResult {
  const indicators: Indicator[] = [];
  const latest = (id: string, name: IndicatorName): Indicator => {
    const last = upTo(series[id], asOf).at(-1);
    return {
      name,
      series: id,
      value: last ? last.value : null,
      date: last?.date ?? null,
      inputs: last ? [last] : [],
    };
  };
  const change = (id: string, name: IndicatorName, kind: 'ratio' | 'diff' | 'rise'): Indicator => {
    const obs = upTo(series[id], asOf);
    const last = obs.at(-1);
    if (!last) return { name, series: id, value: null, date: null, inputs: [] };
    if (kind === 'rise') {
      const window = obs.filter((o) => o.date >= yearBefore(last.date));
      let min = window[0]!;
      for (const o of window) if (new Dec(o.value).lt(min.value)) min = o;
      return {
        name,
        series: id,
        value: fmt(new Dec(last.value).minus(min.value)),
        date: last.date,
        inputs: [min, last],
      };
    }
    const before = lastOnOrBefore(obs, yearBefore(last.date));
    if (!before) return { name, series: id, value: null, date: last.date, inputs: [last] };
    const value =
      kind === 'ratio'
        ? new Dec(last.value).div(before.value).minus(1).times(100)
        : new Dec(last.value).minus(before.value);
    return { name, series: id, value: fmt(value), date: last.date, inputs: [before, last] };
  };
  indicators.push(
    latest('T10Y2Y', 'curve'),
    change('CPIAUCSL', 'cpi_yoy', 'ratio'),
    latest('UNRATE', 'unrate'),
    change('UNRATE', 'unrate_rise', 'rise'),
    latest('FEDFUNDS', 'fedfunds'),
    change('FEDFUNDS', 'fedfunds_change', 'diff'),
    latest('BAMLC0A0CM', 'credit'),
  );
  const byName = new Map(indicators.map((i) => [i.name, i]));
  const rules: RuleCheck[] = [];
  let chosen: (typeof RULES)[number] | null = null;
  for (const rule of RULES) {
    const conditions: Condition[] = rule.when.map(([indicator, op, threshold]) => {
      const value = byName.get(indicator)?.value ?? null;
      let holds = false;
      if (value !== null) {
        const c = new Dec(value).comparedTo(threshold);
        holds = op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
      }
      return { indicator, op, threshold, value, holds };
    });
    const matched = chosen === null && conditions.every((c) => c.holds);
    if (matched) chosen = rule;
    rules.push({ regime: rule.regime, conditions, matched });
  }
  return {
    rule_version: MACRO_RULE_VERSION,
    as_of: asOf,
    regime: chosen!.regime,
    description: chosen!.description,
    indicators,
    missing: indicators.filter((i) => i.value === null).map((i) => i.name),
    rules,
  };
}
