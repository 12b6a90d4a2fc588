// The schedule string is what a user pastes after --schedule: it must read back to exactly the
// choices written, stay short for long FIFO stretches, and reject anything else with a typed
// error that names the bad part.
import { describe, expect, test } from 'vitest';
import { MAX_SCHEDULE_LENGTH, formatSchedule, parseSchedule } from '../../../src/clock/schedule-encoding.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('formatSchedule', () => {
  test('writes choices as dotted decimals and runs of three or more as count-x-choice', () => {
    expect(formatSchedule([])).toBe('');
    expect(formatSchedule([0, 2, 1, 0])).toBe('0.2.1.0');
    expect(formatSchedule([1, 1, 0, 0, 0, 0, 3])).toBe('1.1.4x0.3');
    expect(formatSchedule([12, 12, 12])).toBe('3x12');
  });

  test('refuses a choice that is not a non-negative integer', () => {
    expect(codeOf(() => formatSchedule([0, -1]))).toBe('ERR_INVALID_SCHEDULE');
    expect(codeOf(() => formatSchedule([1.5]))).toBe('ERR_INVALID_SCHEDULE');
  });
});

describe('parseSchedule', () => {
  test('reads dotted choices, runs, and the empty schedule; surrounding whitespace is ignored', () => {
    expect(parseSchedule('')).toEqual([]);
    expect(parseSchedule('0.2.1.0')).toEqual([0, 2, 1, 0]);
    expect(parseSchedule(' 2x3.0.3x0\n')).toEqual([3, 3, 0, 0, 0, 0]);
    expect(parseSchedule('0.0')).toEqual([0, 0]);
  });

  test('reads back exactly what formatSchedule wrote', () => {
    const lists = [[0], [5, 5], [0, 0, 0, 1, 0, 0, 0], [35, 36, 1000, 0, 0, 0, 0, 0, 0]];
    for (const list of lists) expect(parseSchedule(formatSchedule(list))).toEqual(list);
  });

  test.each([
    ['a letter', '0.a.1'],
    ['a sign', '-1'],
    ['an exponent', '1e3'],
    ['two dots', '1..2'],
    ['a leading dot', '.1'],
    ['a trailing dot', '1.'],
    ['inner whitespace', '1. 2'],
    ['a run of one', '1x0'],
    ['a hex-looking run of zero', '0x5'],
    ['a run without a choice', '3x'],
    ['a number beyond safe integers', '99999999999999999999'],
  ])('rejects %s with ERR_INVALID_SCHEDULE naming the item', (_what, text) => {
    let error: { code?: string; message?: string } | undefined;
    try {
      parseSchedule(text);
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.code).toBe('ERR_INVALID_SCHEDULE');
    expect(error?.message).toContain(JSON.stringify(text));
  });

  test('refuses a run that would expand past the length limit instead of allocating it', () => {
    expect(codeOf(() => parseSchedule(`${MAX_SCHEDULE_LENGTH + 1}x0`))).toBe('ERR_INVALID_SCHEDULE');
    expect(parseSchedule(`${MAX_SCHEDULE_LENGTH}x0`)).toHaveLength(MAX_SCHEDULE_LENGTH);
  });

  test('refuses a value that is not a string', () => {
    expect(codeOf(() => parseSchedule(12 as unknown as string))).toBe('ERR_INVALID_SCHEDULE');
  });
});
