/**
 * Channel text conversion: encodings and end-of-line translation, in both directions.
 *
 * Owns: what `-encoding` and `-translation` do to bytes. Input `auto` turns `\r\n`, `\r` and
 * `\n` into `\n`, remembering a trailing `\r` so a `\n` in the next chunk is not doubled (Tcl's
 * INPUT_SAW_CR); input `crlf` keeps a trailing `\r` back until the next chunk (or the end of
 * input) shows whether a `\n` follows. Output `crlf` writes `\n` as `\r\n` (the socket default: `-translation
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

const UTF8_ENCODER = new TextEncoder();

/** Whether every byte is 7-bit ASCII (then UTF-8 decoding is a plain char-code copy). */
function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return false;
  return true;
}

/** Encodes text for the wire after output translation. */
export function encodeOutput(text: string, eol: Eol, encoding: Encoding): Uint8Array {
  // Output `auto` means the platform's line end: `lf` on Unix (sockets start as `crlf`).
  const translated = eol === 'crlf' ? text.replace(/\n/g, '\r\n') : eol === 'cr' ? text.replace(/\n/g, '\r') : text;
  if (encoding === 'utf-8') return UTF8_ENCODER.encode(translated);
  const out = new Uint8Array(translated.length);
  for (let i = 0; i < translated.length; i++) {
    const c = translated.charCodeAt(i);
    out[i] = encoding === 'ascii' ? c & 0x7f : c & 0xff;
  }
  return out;
}

/** Stateful decoder of input bytes: encoding, then end-of-line translation. */
export class InputDecoder {
  /** Created on the first non-ASCII chunk: constructing a TextDecoder is costly, most traffic is ASCII. */
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  /** `auto`: the last chunk ended in `\r` (already turned into `\n`), so a leading `\n` is dropped. */
  private sawCR = false;
  /** `crlf`: a trailing `\r` kept back until the next chunk shows whether `\n` follows. */
  private heldCR = false;

  constructor(
    public eol: Eol,
    public encoding: Encoding,
  ) {}

  /** Decodes a chunk; `final` at end of stream flushes partial sequences. */
  decode(bytes: Uint8Array, final = false): string {
    let text: string;
    if (this.encoding === 'utf-8' && (this.decoder !== null || !isAscii(bytes))) {
      this.decoder ??= new TextDecoder('utf-8');
      text = this.decoder.decode(bytes, { stream: !final });
    } else if (this.encoding === 'utf-8') {
      text = String.fromCharCode.apply(null, bytes as unknown as number[]);
    } else {
      text = '';
      for (const b of bytes) text += String.fromCharCode(this.encoding === 'ascii' ? b & 0x7f : b);
    }
    return this.translate(text, final);
  }

  private translate(text: string, final: boolean): string {
    switch (this.eol) {
      case 'lf':
      case 'binary':
        return text;
      case 'cr':
        return text.replace(/\r/g, '\n');
      case 'crlf': {
        // A `\r\n` split across two reads is still one line end (Tcl looks ahead for the `\n`).
        let input = this.heldCR ? `\r${text}` : text;
        this.heldCR = !final && input.endsWith('\r');
        if (this.heldCR) input = input.slice(0, -1);
        return input.replace(/\r\n/g, '\n');
      }
      case 'auto': {
        // An empty chunk (e.g. a partial UTF-8 sequence) says nothing about a pending `\r\n`.
        if (text === '') return '';
        let input = text;
        if (this.sawCR && input.startsWith('\n')) input = input.slice(1);
        this.sawCR = input.endsWith('\r');
        return input.replace(/\r\n?/g, '\n');
      }
    }
  }
}
