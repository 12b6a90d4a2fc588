import { describe, expect, it } from 'vitest';
import { World, blackhole, refusePort } from '../../../src/index.js';
import { createNet, runAsync } from '../../../src/net-facade.js';

function world() {
  const w = new World({ seed: 1 });
  w.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  w.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  w.dns.set('svc', ['fd00::2', '10.0.0.2']);
  return w;
}

describe('smoke', () => {
  it('echo', async () => {
    const w = world();
    const srv = createNet(w, 'server');
    const cli = createNet(w, 'client');
    srv.createServer((s) => s.pipe(s)).listen(7);
    w.faults.install(blackhole('fd00::2'));
    const events: string[] = [];
    const got = await runAsync(w, async () => {
      const s = cli.connect(7, 'svc');
      for (const n of ['lookup', 'connectionAttempt', 'connectionAttemptTimeout', 'connectionAttemptFailed', 'connect', 'ready', 'close', 'end', 'finish']) s.on(n, (...a: unknown[]) => events.push(`${w.clock.now()} ${n} ${a.slice(0, 1).join()}`));
      await new Promise((r) => s.once('connect', r));
      s.end('hello\n');
      let data = '';
      for await (const c of s) data += String(c);
      return { data, remote: s.remoteAddress };
    });
    console.log(events, got);
    expect(got.data).toBe('hello\n');
  });
  it('refused', async () => {
    const w = world();
    const cli = createNet(w, 'client');
    w.faults.install(refusePort('fd00::2', 7));
    const err = await runAsync(w, () => new Promise((resolve) => cli.connect(7, 'svc').on('error', resolve)));
    console.log(err);
  });
});
