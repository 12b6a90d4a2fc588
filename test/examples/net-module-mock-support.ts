// A world for the module-mock example: client and server dual-stack, `svc` IPv6 first, a PONG
// server on port 7000 (unless `listening: false`).
import { World, blackhole } from '../../src/index.js';
import { createNet, runAsync, type SimNet } from '../../src/net-facade.js';

export { World, blackhole };

export function createNetForMock(options: { listening?: boolean } = {}): { world: World; net: SimNet; run: <T>(fn: () => Promise<T>) => Promise<T> } {
  const world = new World({ seed: 3 });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  if (options.listening !== false) {
    createNet(world, 'server')
      .createServer((s) => s.on('data', (c: Buffer) => void (c.toString().includes('PING') && s.write('PONG\n'))))
      .listen(7000);
  }
  return { world, net: createNet(world, 'client'), run: (fn) => runAsync(world, fn) };
}
