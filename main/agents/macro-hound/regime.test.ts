import { describe, expect, it } from 'vitest';
import type { MacroSeries } from '../data-harvester/sources';
import { MACRO_RULE_VERSION, macroRegime } from './regime';

function monthly(id: string, values: number[], start = 2023): MacroSeries {
  return {
    id,
    title: id,
    units: 'percent',
    frequency: 'monthly',
    observations: values.map((v, i) => ({
      date: `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: String(v),
    })),
  };
}

const flat = (v: number) => Array.from({ length: 13 }, () => v);

function series(over: Partial<Record<string, number[]>>): Record<string, MacroSeries> {
  const base: Record<string, number[]> = {
    T10Y2Y: flat(0.5),
    CPIAUCSL: flat(100).map((v, i) => v + i * 0.2), // 2.4 % a year
    UNRATE: flat(4),
    FEDFUNDS: flat(3),
    BAMLC0A0CM: flat(1),
  };
  return Object.fromEntries(Object.entries({ ...base, ...over }).map(([id, v]) => [id, monthly(id, v!)]));
}

describe('macroRegime', () => {
  it('is expansion with a positive curve, moderate inflation and tight spreads, and shows why', () => {
    const r = macroRegime(series({}), '2024-01-31');
    expect(r.rule_version).toBe(MACRO_RULE_VERSION);
    expect(r.regime).toBe('expansion');
    const cpi = r.indicators.find((i) => i.name === 'cpi_yoy')!;
    expect(cpi.value).toBe('2.4'); // 102.4 / 100 - 1
    expect(cpi.inputs).toEqual([
      { date: '2023-01-01', value: '100' },
      { date: '2024-01-01', value: '102.4' },
    ]);
    expect(r.rules.filter((x) => x.matched).map((x) => x.regime)).toEqual(['expansion']);
  });

  it('applies the rules in order: contraction before late cycle', () => {
    const r = macroRegime(
      series({ T10Y2Y: flat(-0.3), UNRATE: [...flat(4).slice(0, 12), 4.6], BAMLC0A0CM: flat(1.8) }),
      '2024-01-31',
    );
    expect(r.regime).toBe('contraction');
    expect(r.rules.find((x) => x.regime === 'late_cycle')!.conditions[0]!.holds).toBe(true);
  });

  it('sees an inverted curve as late cycle and a cut policy rate as easing', () => {
    expect(macroRegime(series({ T10Y2Y: flat(-0.2) }), '2024-01-31').regime).toBe('late_cycle');
    expect(macroRegime(series({ FEDFUNDS: [...flat(5).slice(0, 12), 4.25] }), '2024-01-31').regime).toBe(
      'easing',
    );
  });

  it('never uses an observation after as_of, and lists missing indicators', () => {
    const r = macroRegime({ T10Y2Y: monthly('T10Y2Y', [1, -1]) }, '2023-01-15');
    expect(r.indicators.find((i) => i.name === 'curve')!.value).toBe('1');
    expect(r.missing).toEqual(['cpi_yoy', 'unrate', 'unrate_rise', 'fedfunds', 'fedfunds_change', 'credit']);
    expect(r.regime).toBe('neutral');
  });
});
