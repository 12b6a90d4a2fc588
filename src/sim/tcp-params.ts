/**
 * The simulated kernel's TCP parameters, with Linux's defaults.
 *
 * Owns: every tunable number of the simulated TCP stack and its documented default. A world
 * takes a partial set and fills in the rest from `LINUX_DEFAULTS`; hosts, sockets and the
 * network read them from the world.
 *
 * Departs from reality: Linux adapts the RTO to measured round trips and randomises ephemeral
 * ports; here the RTO schedule is fixed and ports come from a counter (deterministic by design).
 */
import { DetnetError } from '../errors.js';

/** TCP tunables of a simulated world. All times in virtual milliseconds. */
export interface TcpParams {
  /**
   * Initial SYN retransmission timeout (Linux `TCP_TIMEOUT_INIT`, 1 s); it doubles after each
   * retransmission.
   */
  readonly synRtoMs: number;
  /**
   * SYN retransmissions before the connect fails with ETIMEDOUT (Linux `tcp_syn_retries`, 6).
   * With the defaults the SYNs go out at 0, 1, 3, 7, 15, 31, 63 s and the connect times out at
   * 127 s.
   */
  readonly synRetries: number;
  /** First retransmission timeout of a lost data segment (Linux `TCP_RTO_MIN`, 200 ms); doubles. */
  readonly dataRtoMs: number;
  /** Upper bound of the data retransmission timeout (Linux `TCP_RTO_MAX`, 120 s). */
  readonly dataRtoMaxMs: number;
  /** Retransmissions of one data segment before the connection fails with ETIMEDOUT (`tcp_retries2`, 15). */
  readonly dataRetries: number;
  /** Delay before a route marked host-unreachable reports EHOSTUNREACH (ARP gives up after ~3 s). */
  readonly hostUnreachableDelayMs: number;
  /** First and last ephemeral port (Linux `ip_local_port_range`, 32768–60999). */
  readonly ephemeralFirst: number;
  readonly ephemeralLast: number;
  /** Default listen backlog (Linux `SOMAXCONN`, 4096). The accept queue holds backlog + 1. */
  readonly defaultBacklog: number;
  /** Send buffer bound in bytes: bytes written but not yet delivered (Linux `tcp_wmem` default, 16384). */
  readonly sendBufferBytes: number;
  /** Receive buffer bound in bytes: delivered but unread bytes (Linux `tcp_rmem` default, 131072). */
  readonly recvBufferBytes: number;
}

/** Linux defaults (see each field). */
export const LINUX_DEFAULTS: TcpParams = {
  synRtoMs: 1000,
  synRetries: 6,
  dataRtoMs: 200,
  dataRtoMaxMs: 120_000,
  dataRetries: 15,
  hostUnreachableDelayMs: 3000,
  ephemeralFirst: 32768,
  ephemeralLast: 60999,
  defaultBacklog: 4096,
  sendBufferBytes: 16384,
  recvBufferBytes: 131072,
};

/** Total time from the first SYN to ETIMEDOUT: the sum of the retransmission timeouts. */
export function synTimeoutMs(params: Pick<TcpParams, 'synRtoMs' | 'synRetries'>): number {
  return params.synRtoMs * (2 ** (params.synRetries + 1) - 1);
}

/** Fills in defaults and validates; throws `ERR_INVALID_TCP_PARAMS` naming the bad field. */
export function resolveTcpParams(partial: Partial<TcpParams> = {}): TcpParams {
  const params: TcpParams = { ...LINUX_DEFAULTS, ...partial };
  for (const [key, value] of Object.entries(params)) {
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new DetnetError('ERR_INVALID_TCP_PARAMS', `TCP parameter ${key} must be an integer >= 0, got ${String(value)}`);
    }
  }
  if (params.synRtoMs === 0 || params.dataRtoMs === 0) {
    throw new DetnetError('ERR_INVALID_TCP_PARAMS', 'retransmission timeouts must be at least 1 ms');
  }
  if (params.ephemeralFirst < 1 || params.ephemeralLast > 65535 || params.ephemeralFirst > params.ephemeralLast) {
    throw new DetnetError('ERR_INVALID_TCP_PARAMS', 'ephemeral port range must satisfy 1 <= first <= last <= 65535');
  }
  if (params.sendBufferBytes < 1 || params.recvBufferBytes < 1) {
    throw new DetnetError('ERR_INVALID_TCP_PARAMS', 'socket buffers must hold at least 1 byte');
  }
  return params;
}
