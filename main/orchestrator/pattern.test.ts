import { describe, expect, it } from 'vitest';
import { type UserFacingError } from '../../shared/errors';
import {
  PatternParamsError,
  PatternValidationError,
  resolveParams,
  stepDependencies,
  validatePattern,
  type Pattern,
} from './pattern';
import { catalogueRegistry } from './testing';

const registry = catalogueRegistry(['agent.a', 'agent.b']);

function pattern(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'demo',
    title: 'Demo',
    description: 'A demo pattern.',
    version: 1,
    inputs: { from: { type: 'date' } },
    steps: [
      { id: 'one', capability: 'agent.a', inputs: { from: { $param: 'from' } } },
      { id: 'two', capability: 'agent.b', inputs: { x: { $step: 'one', path: 'a.b' } }, panel: 'main' },
    ],
    panels: ['main'],
    ...overrides,
  };
}

function problemsOf(raw: unknown, file = 'demo.json'): string {
  try {
    validatePattern(raw, file, registry);
  } catch (error) {
    expect(error).toBeInstanceOf(PatternValidationError);
    expect((error as UserFacingError).code).toBe('PATTERN_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected the pattern to be refused');
}

describe('validatePattern', () => {
  it('accepts a well-formed pattern and derives dependencies from $step inputs', () => {
    const valid = validatePattern(pattern(), 'demo.json', registry);
    expect(valid.steps.map(stepDependencies)).toEqual([[], ['one']]);
  });

  it('refuses an unknown capability, naming the file and the step', () => {
    const message = problemsOf(
      pattern({ steps: [{ id: 'only', capability: 'agent.nope', inputs: {}, panel: 'main' }] }),
    );
    expect(message).toContain('demo.json');
    expect(message).toContain('step "only": unknown capability "agent.nope"');
  });

  it('refuses a dependency cycle and shows it', () => {
    const message = problemsOf(
      pattern({
        steps: [
          { id: 'one', capability: 'agent.a', inputs: { x: { $step: 'three' } } },
          { id: 'two', capability: 'agent.a', depends_on: ['one'], panel: 'main' },
          { id: 'three', capability: 'agent.b', inputs: { y: { $step: 'two' } } },
        ],
      }),
    );
    expect(message).toMatch(/dependency cycle one -> three -> two -> one/);
  });

  it('refuses dangling step and parameter references', () => {
    const message = problemsOf(
      pattern({
        steps: [
          { id: 'one', capability: 'agent.a', depends_on: ['ghost'], inputs: { p: { $param: 'nope' } } },
          { id: 'two', capability: 'agent.b', inputs: { x: [{ $step: 'phantom' }] }, panel: 'main' },
        ],
      }),
    );
    expect(message).toContain('step "one": depends on unknown step "ghost"');
    expect(message).toContain('step "one": input "p" uses undeclared parameter "nope"');
    expect(message).toContain('step "two": input "x" reads unknown step "phantom"');
  });

  it('refuses duplicate step ids and panel mistakes', () => {
    const message = problemsOf(
      pattern({
        steps: [
          { id: 'one', capability: 'agent.a', panel: 'main' },
          { id: 'one', capability: 'agent.b', panel: 'main' },
          { id: 'three', capability: 'agent.b', panel: 'elsewhere' },
        ],
        panels: ['main', 'empty'],
      }),
    );
    expect(message).toContain('step "one": duplicate step id');
    expect(message).toContain('panel "main" is already filled by step "one"');
    expect(message).toContain('step "three": fills panel "elsewhere" not in panels');
    expect(message).toContain('panel "empty" is filled by no step');
  });

  it('refuses malformed references and schema errors, naming the step', () => {
    expect(
      problemsOf(
        pattern({
          steps: [{ id: 'one', capability: 'agent.a', inputs: { x: { $step: 1 } }, panel: 'main' }],
        }),
      ),
    ).toContain('step "one": input "x": malformed reference');
    expect(problemsOf(pattern({ steps: [{ id: 'one', capability: 'Agent', panel: 'main' }] }))).toContain(
      'step "one" capability',
    );
    expect(problemsOf(pattern({ version: 0 }))).toContain('version');
  });

  it('requires the pattern id to match its file name', () => {
    expect(problemsOf(pattern(), 'other.json')).toContain('does not match the file name');
  });

  it('checks parameter defaults against their type', () => {
    expect(problemsOf(pattern({ inputs: { from: { type: 'date', default: '2024-02-30' } } }))).toContain(
      'input "from": default must be a date',
    );
  });
});

describe('resolveParams', () => {
  const withParams = validatePattern(
    pattern({
      inputs: {
        from: { type: 'date' },
        days: { type: 'integer', default: 7, min: 1, max: 30 },
        rate: { type: 'decimal', default: '0' },
        kind: { type: 'string', enum: ['a', 'b'], required: true },
        flag: { type: 'boolean', default: false },
      },
    }),
    'demo.json',
    registry,
  );

  it('fills defaults and nulls so omitted and explicit-default parameters resolve alike', () => {
    const expected = { from: null, days: 7, rate: '0', kind: 'a', flag: false };
    expect(resolveParams(withParams, { kind: 'a' })).toEqual(expected);
    expect(resolveParams(withParams, { kind: 'a', days: 7, from: null, flag: 'false' })).toEqual(expected);
  });

  it('accepts CLI strings for numbers and booleans', () => {
    expect(resolveParams(withParams, { kind: 'b', days: '14', flag: 'true', rate: '0.02' })).toMatchObject({
      days: 14,
      flag: true,
      rate: '0.02',
    });
  });

  it('names every bad parameter without echoing its value', () => {
    let error: unknown;
    try {
      resolveParams(withParams, {
        days: 99,
        from: '2024-13-01',
        rate: '1e9',
        secret_value: 'x',
        flag: 'maybe',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatternParamsError);
    const message = (error as Error).message;
    expect((error as UserFacingError).code).toBe('PATTERN_PARAMS_INVALID');
    for (const fragment of [
      'secret_value: unknown parameter',
      'days: must be ≤ 30',
      'from: must be a date',
      'rate: must be a decimal',
      'kind: required',
      'flag: must be true or false',
    ])
      expect(message).toContain(fragment);
    expect(message).not.toContain('2024-13-01');
  });

  it('leaves a pattern without inputs with empty parameters', () => {
    const bare: Pattern = { ...withParams, inputs: {} };
    expect(resolveParams(bare)).toEqual({});
  });
});
