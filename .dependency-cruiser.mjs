// Import rules of detnet's layers (the picture in README "How it works"; issue 8 item 5).
// Run with `npm run lint:deps`. Each rule is one sentence of the architecture; the layers, from
// the bottom up:
//
//   errors.ts, net/, random/, trace/   small shared types, addresses, RNG, the trace
//   clock/                             time (Clock, VirtualClock, RealClock)
//   loop/                              the event loop and the notifier, on a Clock
//   sim/                               the simulated world (fabric, host kernels, DNS, faults)
//   socket/                            connect machines, channels, Interp, the two drivers
//   tcl/                               (planned) a Tcl interpreter on an Interp
//   scenario/                          scenario files and one runner per backend
//   fc/, net-facade/, web/, cli/       (fc, net-facade, web planned) front ends
//
// sim/ and loop/ are siblings: both stand on clock/ and the bottom, and neither imports the
// other; socket/ is the first layer that sees both (SimDriver → sim, channels → loop).
// Rules are "forbidden" edges; a violation names the rule, so the names read as sentences.

import { builtinModules } from 'node:module';

/** Every folder above a given layer, as one path regex. */
const FRONT_ENDS = '^src/(cli|fc|web|net-facade)/|^src/(cli|index|node|fast-check|net-facade)\\.ts$';
const ABOVE_SCENARIO = FRONT_ENDS;
const ABOVE_TCL = `^src/scenario/|${ABOVE_SCENARIO}`;
const ABOVE_SOCKET = `^src/tcl/|${ABOVE_TCL}`;
const ABOVE_LOOP_AND_SIM = `^src/socket/|${ABOVE_SOCKET}`;
const ABOVE_CLOCK = `^src/(loop|sim)/|${ABOVE_LOOP_AND_SIM}`;
const ABOVE_BOTTOM = `^src/clock/|${ABOVE_CLOCK}`;

/** Any Node built-in, with or without the `node:` scheme (reachability rules cannot filter on type). */
const NODE_BUILTIN = `^(node:)?(${builtinModules.filter((m) => !m.startsWith('_'))
  .map((m) => m.replace(/[/]/g, '\\/'))
  .join('|')})$`;

/** The files allowed to load Node built-ins: the Node driver, the tclsh runner, the CLI. */
const MAY_USE_NODE_BUILTINS = [
  '^src/socket/node-[a-z-]+\\.ts$',
  '^src/scenario/tclsh-runner\\.ts$',
  '^src/cli/',
  '^src/cli\\.ts$',
  '^src/net-facade/',
  '^src/net-facade\\.ts$',
];

export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle anywhere in src/: every module can be read, tested and replaced from the bottom up.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'bottom-imports-only-bottom',
      comment: 'errors.ts, net/, random/ and trace/ are the shared bottom: they import nothing above them.',
      severity: 'error',
      from: { path: '^src/(net|random|trace)/|^src/errors\\.ts$' },
      to: { path: ABOVE_BOTTOM },
    },
    {
      name: 'clock-imports-only-bottom',
      comment: 'clock/ is time and nothing else: it stands on the bottom layer only.',
      severity: 'error',
      from: { path: '^src/clock/' },
      to: { path: ABOVE_CLOCK },
    },
    {
      name: 'loop-below-socket',
      comment: 'loop/ (event loop, notifier) stands on clock/ and the bottom; it never sees sockets, the world or anything above.',
      severity: 'error',
      from: { path: '^src/loop/' },
      to: { path: `^src/sim/|${ABOVE_LOOP_AND_SIM}` },
    },
    {
      name: 'sim-never-imports-socket-or-loop',
      comment:
        'sim/ is the simulated kernel: it stands on clock/ and the bottom (shared small types such as HostAddr and readiness bits live in net/); it never imports loop/, socket/ or anything above.',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: `^src/loop/|${ABOVE_LOOP_AND_SIM}` },
    },
    {
      name: 'world-is-the-composition-root',
      comment:
        'sim/world.ts composes the simulated world and nothing below it imports it; only the helpers that act on a whole world (faults.ts crashHost, apps.ts) may name it.',
      severity: 'error',
      from: { path: '^src/sim/', pathNot: '^src/sim/(world|faults|apps)\\.ts$' },
      to: { path: '^src/sim/world\\.ts$' },
    },
    {
      name: 'socket-below-scenario',
      comment: 'socket/ (machines, channels, Interp, drivers) never imports tcl/, scenario/ or a front end.',
      severity: 'error',
      from: { path: '^src/socket/' },
      to: { path: ABOVE_SOCKET },
    },
    {
      name: 'connect-machine-is-pure',
      comment:
        'The connect machine is a pure step function: it imports only the bottom layer, never the clock, the loop, the world or a driver.',
      severity: 'error',
      from: { path: '^src/socket/connect-machine\\.ts$' },
      to: { path: ABOVE_BOTTOM },
    },
    {
      name: 'only-sim-driver-reaches-sim',
      comment: 'Channels and the Interp work on any driver: within socket/ only sim-driver.ts imports sim/.',
      severity: 'error',
      from: { path: '^src/socket/', pathNot: '^src/socket/sim-driver\\.ts$' },
      to: { path: '^src/sim/' },
    },
    {
      name: 'sim-driver-does-not-know-the-node-driver',
      comment: 'The simulated and the Node driver are independent implementations of socket/driver.ts.',
      severity: 'error',
      from: { path: '^src/socket/sim-driver\\.ts$' },
      to: { path: '^src/socket/node-[a-z-]+\\.ts$' },
    },
    {
      name: 'node-driver-does-not-know-the-sim-driver',
      comment: 'The Node driver files never import the simulated driver or the world.',
      severity: 'error',
      from: { path: '^src/socket/node-[a-z-]+\\.ts$' },
      to: { path: '^src/socket/sim-driver\\.ts$|^src/sim/' },
    },
    {
      name: 'only-the-node-driver-uses-node-net-and-dns',
      comment:
        'Real sockets and real name resolution come in through the Node driver files (src/socket/node-*.ts) only; the one other listener is the static file server of `detnet sandbox` (src/cli/sandbox-command.ts), which serves the page and runs no Tcl.',
      severity: 'error',
      from: { pathNot: '^src/socket/node-[a-z-]+\\.ts$|^src/cli/sandbox-command\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(net|dns|dns/promises|tls|http|https|dgram)$' },
    },
    {
      name: 'pure-core-loads-no-node-builtin',
      comment:
        'Outside the Node driver, the tclsh runner and the CLI, src/ is pure: it runs in a browser and loads no Node built-in (time and randomness are ports).',
      severity: 'error',
      from: { path: '^src/', pathNot: MAY_USE_NODE_BUILTINS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'net-facade-loads-streams-not-sockets',
      comment:
        'detnet/net (src/net-facade/, src/net-facade.ts) offers a real stream.Duplex: it may load node:stream, node:events and node:util, and no other Node built-in (no node:net: its sockets are simulated).',
      severity: 'error',
      from: { path: '^src/net-facade/|^src/net-facade\\.ts$' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(stream|events|util)$' },
    },
    {
      name: 'main-barrel-reaches-no-node-builtin',
      comment:
        'detnet (src/index.ts) must not load a Node built-in through anything it re-exports; real sockets and tclsh live on detnet/node (test/unit/exports.test.ts checks the same).',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: NODE_BUILTIN, reachable: true },
    },
    {
      name: 'barrels-are-for-users',
      comment: 'src/index.ts and src/node.ts are the package entry points; modules inside src/ import the module that owns a name, never a barrel.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|node|cli|fast-check|net-facade)\\.ts$|^src/cli/' },
      to: { path: '^src/(index|node|fast-check|net-facade)\\.ts$' },
    },
    {
      name: 'scenario-below-front-ends',
      comment: 'scenario/ (files, validation, runners) never imports the CLI or another front end.',
      severity: 'error',
      from: { path: '^src/scenario/' },
      to: { path: ABOVE_SCENARIO },
    },
    {
      name: 'tcl-runs-on-an-interp',
      comment:
        '(planned) tcl/ binds Tcl commands to an Interp: it does not import scenario/ or a front end, nor a particular driver or the world, so scripts run unchanged on every backend.',
      severity: 'error',
      from: { path: '^src/tcl/' },
      to: { path: `${ABOVE_TCL}|^src/sim/|^src/socket/(sim-driver|node-[a-z-]+)\\.ts$` },
    },
    {
      name: 'fc-is-a-library-not-a-front-end',
      comment: '(planned) fc/ (detnet/fast-check) may build on every core layer and scenario/, but not on the CLI, the browser sandbox or the net facade.',
      severity: 'error',
      from: { path: '^src/fc/' },
      to: { path: '^src/(cli|web|net-facade)/|^src/(cli|index|node)\\.ts$' },
    },
    {
      name: 'net-facade-on-the-simulated-world',
      comment:
        'The net facade (detnet/net) is Node\'s net API on a simulated host: it uses socket/ (the pure Node connect machine, its plan, errors, events and profiles), sim/ and below, never the real Node driver, tcl/, scenario/ or another front end.',
      severity: 'error',
      from: { path: '^src/net-facade/|^src/net-facade\\.ts$' },
      to: {
        path: '^src/(tcl|scenario|cli|fc|web)/|^src/(cli|index|node)\\.ts$|^src/socket/node-(driver|socket|listener|resolve|errors)\\.ts$',
      },
    },
    {
      name: 'web-runs-in-a-browser',
      comment: '(planned) web/ (the browser sandbox) calls the layers below but never the CLI, the Node driver or the tclsh runner.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: '^src/cli/|^src/(cli|node)\\.ts$|^src/socket/node-[a-z-]+\\.ts$|^src/scenario/(tclsh-runner|node-backend)\\.ts$',
      },
    },
    {
      name: 'src-does-not-use-dev-dependencies',
      comment:
        'Shipped code imports only runtime (or peer) dependencies; vitest, fast-check and friends are for tests and benchmarks. A planned fc/ subpath would declare fast-check as a peer dependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm', 'npm-peer'] },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'Every import in src/ resolves to a file or a package.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that names another's types depends on it just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
