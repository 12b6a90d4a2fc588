/**
 * The trace vocabulary of the simulated world: every `host.*`, `net.*`, `fault.*` and `dns.*`
 * kind it records, with its fields, merged into the trace's `TraceKindMap`.
 *
 * Owns: the names and field shapes only (so `trace.record` checks them at compile time and
 * `trace.on('net.connected', e => …)` is typed). Endpoints are written `addr:port`, IPv6 in
 * brackets; `conn` is the connection id (the client's attempt number, shared by both ends);
 * sockets are named `sim:<host>/<id>`, listeners `sim:<host>/L<n>`.
 *
 * Does not: record anything (world.ts, host.ts, sim-socket.ts, sim-listener.ts, network.ts,
 * fault-rules.ts and dns.ts do).
 */
import type { PacketKind } from './packet.js';

declare module '../trace/trace.js' {
  interface TraceKindMap {
    /** A host joined the world. */
    'host.add': { host: string; addresses: string[]; ipv6Loopback: boolean };
    /** A host crashed: everything on it vanished. */
    'host.crash': { host: string };
    /** A crashed host came back, empty. */
    'host.restart': { host: string };
    /** A listener started (`address` `*` = wildcard of both families). */
    'net.listen': { host: string; listener: string; address: string; port: number };
    /** A connect attempt started (the first SYN, or the ARP wait of a host-unreachable route). */
    'net.attempt': { conn: number; host: string; src: string; dst: string };
    /** A SYN was retransmitted (`try` = 1 for the first retransmission). */
    'net.syn-retry': { conn: number; try: number };
    /** The SYN-ACK arrived: the attempt is connected. */
    'net.connected': { conn: number };
    /** The attempt failed with `code` (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH). */
    'net.fail': { conn: number; code: string };
    /** A listener queued a connection (the kernel accepted it; the app has not yet). */
    'net.accept': { conn: number; host: string; listener: string; peer: string | null };
    /** A SYN was refused: by the destination (`no-listener`) or by a rule (its name). */
    'net.refuse': { packet: PacketKind; conn: number; src: string; dst: string; reason: string | null };
    /** A packet was lost: a rule's name, `no-host`, `host-down` or `accept-queue-full`. */
    'net.drop': { packet: PacketKind; conn: number; src: string; dst: string; reason: string | null };
    /** A rule answered a SYN with ICMP unreachable. */
    'net.unreachable': { packet: PacketKind; conn: number; src: string; dst: string; reason: string | null };
    /** A delay rule held a packet back `ms` beyond its latency. */
    'net.delay': { packet: PacketKind; conn: number; src: string; dst: string; ms: number; reason: string | null };
    /** A hold rule kept a packet. */
    'net.hold': { packet: PacketKind; conn: number; rule: string | null };
    /** A data segment arrived at `host` (`seq` = offset of its first byte in the stream). */
    'net.deliver': { conn: number; host: string; seq: number; bytes: number };
    /** A socket queued its FIN (shutdown or close). */
    'net.fin': { conn: number; host: string; socket: string };
    /**
     * An RST was sent towards (or, for a fault, delivered to) the endpoint `to` (`addr:port`: no
     * host knows the names of another host's sockets).
     */
    'net.rst': { conn: number; to: string };
    /** A socket or listener was closed by its owner, in `state`. */
    'net.close': { socket: string; state: string };
    /** A fault rule (or DNS fault) took effect; `id` numbers packet rules. */
    'fault.installed': { rule: string; id?: number };
    /** A fault rule (or DNS fault) was removed. */
    'fault.removed': { rule: string; id?: number };
    /** A step of a fault timeline ran (`faults.at`). */
    'fault.action': { label: string };
    /** A connection was reset by `world.resetConnection`. */
    'fault.reset': { conn: number; socket: string };
    /** A host asked DNS for `name`. */
    'dns.query': { host: string; name: string };
    /** DNS answered, in resolver order. */
    'dns.answer': { name: string; addresses: string[] };
    /** DNS failed with `code` and the resolver's message. */
    'dns.fail': { name: string; code: string; message: string };
  }
}

/** The kinds listed above, for tests and tools that want to check a trace's vocabulary. */
export const SIM_TRACE_KINDS = [
  'host.add',
  'host.crash',
  'host.restart',
  'net.listen',
  'net.attempt',
  'net.syn-retry',
  'net.connected',
  'net.fail',
  'net.accept',
  'net.refuse',
  'net.drop',
  'net.unreachable',
  'net.delay',
  'net.hold',
  'net.deliver',
  'net.fin',
  'net.rst',
  'net.close',
  'fault.installed',
  'fault.removed',
  'fault.action',
  'fault.reset',
  'dns.query',
  'dns.answer',
  'dns.fail',
] as const;
