/**
 * The schedule encoding: a list of tie choices as a short string you can paste on a command
 * line (`detnet replay FILE --schedule 0.2.1.37x0.1`).
 *
 * Owns: `formatSchedule` and `parseSchedule`, and nothing else. The grammar:
 *
 *     schedule = "" | item *( "." item )
 *     item     = choice | count "x" choice      ; count ≥ 2: the choice repeated count times
 *     choice, count = decimal digits
 *
 * so `0.2.1` is three choices and `37x0` is thirty-seven zeros (long FIFO stretches are
 * common, and a run of zeros is what most of a schedule is). The count comes first so that a
 * run never looks like a hex literal (`0x25`). Every character is safe unquoted in POSIX
 * shells; the empty schedule (FIFO at every tie) is `""`. `formatSchedule` writes runs of
 * three or more as `NxC`; `parseSchedule` accepts any mix, surrounding whitespace trimmed.
 *
 * Bad input is a `DetnetError` with code `ERR_INVALID_SCHEDULE` naming the offending item.
 *
 * Departs from reality: nothing; a pure codec.
 */
import { DetnetError } from '../errors.js';

/** Most choices one schedule string may expand to: a typo like `99999999x0` must not hang. */
export const MAX_SCHEDULE_LENGTH = 1_000_000;

const DIGITS = /^[0-9]+$/;

/** Encodes `choices` (non-negative safe integers); runs of three or more become `NxC`. */
export function formatSchedule(choices: readonly number[]): string {
  const items: string[] = [];
  for (let i = 0; i < choices.length; ) {
    const c = choices[i] as number;
    if (!(Number.isSafeInteger(c) && c >= 0)) {
      throw new DetnetError('ERR_INVALID_SCHEDULE', `schedule choice ${i} is ${String(c)}: expected an integer >= 0`);
    }
    let j = i + 1;
    while (j < choices.length && choices[j] === c) j++;
    const run = j - i;
    if (run >= 3) items.push(`${run}x${c}`);
    else for (let k = 0; k < run; k++) items.push(`${c}`);
    i = j;
  }
  return items.join('.');
}

function bad(text: string, why: string): DetnetError {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return new DetnetError('ERR_INVALID_SCHEDULE', `invalid schedule ${JSON.stringify(shown)}: ${why}`);
}

function tooLong(text: string): DetnetError {
  return bad(text, `more than ${MAX_SCHEDULE_LENGTH} choices`);
}

/** A decimal number of `item` (digits only), as a safe integer. */
function number(text: string, item: string, part: string): number {
  if (!DIGITS.test(part)) throw bad(text, `item "${item}" is not a choice (digits) or a run (countxchoice)`);
  const n = Number(part);
  if (!Number.isSafeInteger(n)) throw bad(text, `item "${item}" has a number too large`);
  return n;
}

/**
 * Decodes a schedule string into its choices. Throws `ERR_INVALID_SCHEDULE` for anything that
 * is not the grammar above, a run count below 2, or more than `MAX_SCHEDULE_LENGTH` choices.
 */
export function parseSchedule(text: string): number[] {
  if (typeof text !== 'string') throw new DetnetError('ERR_INVALID_SCHEDULE', `a schedule must be a string, got ${typeof text}`);
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: number[] = [];
  for (const item of trimmed.split('.')) {
    if (item === '') throw bad(text, 'empty item (two dots in a row, or a dot at either end)');
    const x = item.indexOf('x');
    if (x < 0) {
      out.push(number(text, item, item));
    } else {
      const count = number(text, item, item.slice(0, x));
      const choice = number(text, item, item.slice(x + 1));
      if (count < 2) throw bad(text, `item "${item}" repeats fewer than 2 times`);
      if (out.length + count > MAX_SCHEDULE_LENGTH) throw tooLong(text);
      for (let k = 0; k < count; k++) out.push(choice);
    }
    if (out.length > MAX_SCHEDULE_LENGTH) throw tooLong(text);
  }
  return out;
}
