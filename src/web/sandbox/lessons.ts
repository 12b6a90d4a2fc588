/**
 * The sandbox's guided lessons: one per historical bug detnet can switch on, each naming the
 * scenario that shows it, the settings that make it show, what to look at in the diagram, and
 * how Tcl fixed it. Written for a student who knows `socket -async` but not Tcl's internals.
 *
 * Owns: the lesson texts and settings only. The scenarios are files under scenarios/ (the
 * sandbox's catalog carries them); docs/tcl-versions.md is the source of the facts.
 */
import type { BugId } from '../../socket/profiles.js';

/** One guided lesson. */
export interface Lesson {
  /** The bug's id, as `withBugs` and `--profile default+<id>` take it. */
  readonly bug: BugId;
  readonly title: string;
  /** What a Tcl user saw. */
  readonly symptom: string;
  /** The catalog id of the scenario that shows it (`lessons/…`, `parity/…`, `default`). */
  readonly scenario: string;
  /** Same-instant order the lesson needs (`seeded` for timing races). */
  readonly ties: 'fifo' | 'seeded';
  /** Seeds worth exploring (a race shows on some seeds only). */
  readonly exploreSeeds: number;
  /** What to look at in the diagram and the state panel. */
  readonly lookAt: string;
  /** What Tcl changed, and in which release. */
  readonly fix: string;
}

/** The lessons, in the order the sandbox lists them. */
export const LESSONS: readonly Lesson[] = [
  {
    bug: '336441ed59',
    title: 'A quick connect is lost and vwait waits forever (Windows 8.5.15 / 8.6.1)',
    symptom:
      'A script connects with socket -async to a server on the same machine, waits for the writable event with vwait, and hangs: the connect succeeded, but the event never came. It happens on some runs only.',
    scenario: 'lessons/bug-336441ed59',
    ties: 'seeded',
    exploreSeeds: 30,
    lookAt:
      'On a zero-latency loopback the connect completes at the same instant as the socket’s registration with the notifier. The seeded tie-breaker picks the order (the “tie” rows on the event-loop lane). Find a seed where the SYN-ACK wins: the notifier marks the readiness LOST because its watch is “not yet” effective (state panel), and nothing ever reports the connect again. Switch the bug off with the same seed: the watch is effective at once and the writable event arrives.',
    fix: 'Tcl 8.5.16 / 8.6.2 made the Windows socket driver learn of the new socket before the connect can complete, so a completion can no longer arrive unseen.',
  },
  {
    bug: '13d3af3ad5',
    title: 'Only the first address is tried (Windows 8.6.1)',
    symptom: 'localhost resolves to ::1 and 127.0.0.1; the server listens on 127.0.0.1 only. On Windows 8.6.1 the connect fails with “connection refused” although 127.0.0.1 would have answered.',
    scenario: 'default',
    ties: 'fifo',
    exploreSeeds: 1,
    lookAt:
      'Compare fixed and buggy: both send a SYN to [::1] and get it refused. The fixed run goes on with the second candidate (the state panel marks candidate 1 as tried); the buggy one stops after candidate 0 and reports the refusal in -error.',
    fix: 'Tcl 8.6.2 walks every candidate address on Windows as it does on Unix.',
  },
  {
    bug: '581937ab1e',
    title: 'A readable-only handler misses a failed connect (Windows 8.5.15 / 8.6.1)',
    symptom: 'A script watches only readable on an async socket to a refused port. The connect fails, but the handler never runs, so the script never learns of the failure.',
    scenario: 'parity/refused-readable-only',
    ties: 'fifo',
    exploreSeeds: 1,
    lookAt:
      'Fixed: the refusal arrives, the readable event is delivered to the client lane, and -error says “connection refused”. Buggy: the refusal arrives just the same, but no event reaches the client; vwait ends by its guard (vwait-timeout). Look at the fileevents and watches in the state panel: only readable is registered.',
    fix: 'Tcl 8.5.16 / 8.6.2 deliver readable on a failed connect on Windows too, as Unix always did.',
  },
  {
    bug: '97069ea11a',
    title: 'close reports an empty error after a failed background flush (8.5.15 / 8.6.1)',
    symptom: 'Data written with puts + flush on a non-blocking socket while it connects is flushed in the background. The connect fails; close raises an error whose message is empty.',
    scenario: 'parity/dual-nonblocking-bgflush-fail',
    ties: 'fifo',
    exploreSeeds: 1,
    lookAt:
      'Step to the flush: the state panel shows the bytes pending and the background flush scheduled. Both candidates are refused. At close, the fixed run says “socket is not connected”; the buggy one fails with an empty message.',
    fix: 'Tcl 8.5.16 / 8.6.2 keep the connect’s error for the flush that failed, so close reports it.',
  },
];
