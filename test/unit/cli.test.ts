// The `detnet` entry point: dispatch, the default command, usage text and exit code 2.
import { describe, expect, it } from 'vitest';
import { commands, DEFAULT_COMMAND, usage } from '../../src/cli.js';
import { cli } from './cli/helpers.js';

describe('detnet dispatch', () => {
  it('runs `run` on the default scenario when given no command, as npm start does', async () => {
    // `npm start` is `detnet` with no arguments: it must be the same as `detnet run default`.
    expect(DEFAULT_COMMAND).toBe('run');
    const bare = await cli([]);
    const explicit = await cli(['run', 'default']);
    expect(bare.code).toBe(0);
    expect(bare.out).toMatch(/^scenario default: /);
    expect(bare.out).toBe(explicit.out);
  });

  it('hands options given without a command to the default command', async () => {
    const bare = await cli(['--format', 'obs']);
    const explicit = await cli(['run', '--format', 'obs']);
    expect(bare.code).toBe(0);
    expect(bare.out).toBe(explicit.out);
    expect(bare.out.split('\n')[0]).toMatch(/^\{"op":"socket -async /);
  });
});

describe('detnet usage', () => {
  it('--help prints the usage with every command and every run option and exits 0', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toBe(usage());
    expect(out).toMatch(/^Usage:/m);
    for (const name of ['run', 'scenarios', 'example', 'schema', 'profiles', 'policies', 'demo', 'html', 'sandbox', 'explore', 'replay']) expect(out).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    expect([...commands.keys()].sort()).toEqual(['demo', 'example', 'explore', 'html', 'policies', 'profiles', 'replay', 'run', 'sandbox', 'scenarios', 'schema']);
    for (const option of ['--backend', '--seed', '--profile', '--format', '--level', '--times', '--strict']) expect(out).toContain(option);
    for (const word of ['sim', 'node', 'tclsh', 'timeline', 'jsonl', 'obs', 'net', 'all']) expect(out).toMatch(new RegExp(`\\b${word}\\b`));
  });

  it('an unknown command writes an error and the usage to stderr and exits 2', async () => {
    const { code, out, err } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^detnet: unknown command "frobnicate"/);
    expect(err).toMatch(/Usage:/);
  });

  it('an unknown option writes an error and the usage to stderr and exits 2 without running', async () => {
    const { code, out, err } = await cli(['run', '--colour', 'red']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^detnet: unknown option "--colour"/);
    expect(err).toMatch(/Usage:/);
  });

  it('`run --help` prints the run options and runs nothing', async () => {
    const { code, out } = await cli(['run', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^detnet run \[scenario\] \[options\]/);
    expect(out).not.toMatch(/^timeline \(/m);
  });
});
