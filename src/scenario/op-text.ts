/**
 * How a scenario step is written as a command in the observation trace (reference §13).
 *
 * Owns: the op text of each step (word quoting is src/socket/tcl-words.ts, shared with the
 * interpreter), with placeholders for channels (`<c1>`)
 * and ports (`<port>`). The Tcl renderer prints exactly these texts (placeholders replaced by
 * the real names at run time) and the interpreter records the same commands with its own real
 * names, so after normalisation the op lines of every backend agree.
 *
 * Does not: execute anything or know about real names.
 *
 * Departs from reality: none; Tcl would print a command the same way (`list` quoting), except
 * that words needing backslash quoting are rare here and validation rejects most of them.
 */
import { tclQuote } from '../socket/tcl-words.js';
import type { PortRef, Step } from './scenario.js';

export { tclQuote };

/** A port reference as it appears in op text: `<port>` for a role, the number otherwise. */
export function portText(port: PortRef): string {
  return typeof port === 'number' ? String(port) : `<${port}>`;
}

/** A channel placeholder: `c1` → `<c1>`. */
export function chanText(chan: string): string {
  return `<${chan}>`;
}

/**
 * The op text of one step, with placeholders. A `poll` has no op text of its own (its
 * iterations are not written); asking for one is a caller bug and returns the polled step's.
 */
export function opText(step: Step): string {
  switch (step.op) {
    case 'socket': {
      const words = ['socket'];
      if (step.async !== false) words.push('-async');
      if (step.myaddr !== undefined) words.push('-myaddr', tclQuote(step.myaddr));
      if (step.myport !== undefined) words.push('-myport', portText(step.myport));
      words.push(tclQuote(step.host), portText(step.port));
      return words.join(' ');
    }
    case 'fconfigure': {
      const words = ['fconfigure', chanText(step.chan)];
      if (step.get !== undefined) words.push(step.get);
      for (const w of step.set ?? []) words.push(tclQuote(w));
      return words.join(' ');
    }
    case 'fileevent':
      return `fileevent ${chanText(step.chan)} ${step.event} ${step.handler === null ? '{}' : tclQuote(step.handler)}`;
    case 'puts':
      return `puts ${step.nonewline === true ? '-nonewline ' : ''}${chanText(step.chan)} ${tclQuote(step.text)}`;
    case 'gets':
      return step.var === undefined ? `gets ${chanText(step.chan)}` : `gets ${chanText(step.chan)} ${step.var}`;
    case 'read':
      return step.count === undefined ? `read ${chanText(step.chan)}` : `read ${chanText(step.chan)} ${step.count}`;
    case 'flush':
    case 'close':
    case 'eof':
    case 'fblocked':
      return `${step.op} ${chanText(step.chan)}`;
    case 'after':
      return `after ${step.ms}`;
    case 'update':
      return 'update';
    case 'vwait':
      return `vwait ${step.var}`;
    case 'set':
      return `set ${step.var} ${tclQuote(step.value)}`;
    case 'poll':
      return opText(step.step);
    default: {
      const never: never = step;
      return never;
    }
  }
}
