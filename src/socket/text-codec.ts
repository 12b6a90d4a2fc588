/**
 * Channel text conversion: encodings and end-of-line translation, in both directions.
 *
 * Owns: what `-encoding` and `-translation` do to bytes. Input `auto` turns `\r\n`, `\r` and
 * `\n` into `\n`, remembering a trailing `\r` so a `\n` in the next chunk is not doubled (Tcl's
 * INPUT_SAW_CR). Output `crlf` writes `\n` as `\r\n` (the socket default: `-translation
 * {auto crlf}`), `cr` as `\r`, `lf`/`binary`/`auto` (Unix: lf) unchanged.
 *
 * Departs from Tcl: encodings are `utf-8` (the Linux system encoding, the default),
 * `iso8859-1`, `ascii` and `binary` only; `-eofchar` is stored and reported but never acted on.
 */
import { TclError } from './tcl-error.js';

export type Eol = 'auto' | 'lf' | 'cr' | 'crlf' | 'binary';
export const ENCODINGS = ['utf-8', 'iso8859-1', 'ascii', 'binary'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Parses an `-encoding` value. */
export function parseEncoding(value: string): Encoding {
  const v = value === 'utf8' ? 'utf-8' : value;
  if ((ENCODINGS as readonly string[]).includes(v)) return v as Encoding;
  throw TclError.usage(`unknown encoding "${value}"`, 'ERR_TCL_BAD_ENCODING');
}

/** Parses an end-of-line mode word. */
export function parseEol(value: string): Eol {
  if (value === 'auto' || value === 'lf' || value === 'cr' || value === 'crlf' || value === 'binary') return value;
  throw TclError.usage(
    `bad value for -translation: must be one of auto, binary, cr, lf, crlf, or platform`,
    'ERR_TCL_BAD_TRANSLATION',
  );
}

/** Encodes text for the wire after output translation. */
export function encodeOutput(text: string, eol: Eol, encoding: Encoding): Uint8Array {
  // Output `auto` means the platform's line end: `lf` on Unix (sockets start as `crlf`).
  const translated = eol === 'crlf' ? text.replace(/\n/g, '\r\n') : eol === 'cr' ? text.replace(/\n/g, '\r') : text;
  if (encoding === 'utf-8') return new TextEncoder().encode(translated);
  const out = new Uint8Array(translated.length);
  for (let i = 0; i < translated.length; i++) {
    const c = translated.charCodeAt(i);
    out[i] = encoding === 'ascii' ? c & 0x7f : c & 0xff;
  }
  return out;
}

/** Stateful decoder of input bytes: encoding, then end-of-line translation. */
export class InputDecoder {
  private decoder = new TextDecoder('utf-8');
  private sawCR = false;

  constructor(
    public eol: Eol,
    public encoding: Encoding,
  ) {}

  /** Decodes a chunk; `final` at end of stream flushes partial sequences. */
  decode(bytes: Uint8Array, final = false): string {
    let text: string;
    if (this.encoding === 'utf-8') text = this.decoder.decode(bytes, { stream: !final });
    else {
      text = '';
      for (const b of bytes) text += String.fromCharCode(this.encoding === 'ascii' ? b & 0x7f : b);
    }
    return this.translate(text);
  }

  private translate(text: string): string {
    switch (this.eol) {
      case 'lf':
      case 'binary':
        return text;
      case 'cr':
        return text.replace(/\r/g, '\n');
      case 'crlf':
        return text.replace(/\r\n/g, '\n');
      case 'auto': {
        let input = text;
        if (this.sawCR && input.startsWith('\n')) input = input.slice(1);
        this.sawCR = input.endsWith('\r');
        return input.replace(/\r\n?/g, '\n');
      }
    }
  }
}
