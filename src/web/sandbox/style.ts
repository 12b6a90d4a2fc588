/**
 * The sandbox page's own stylesheet (the diagram's and the state panel's are shared with the
 * report). Owns: layout of the controls, the lesson box, the explore list and the two-column
 * comparison.
 */

/** CSS of the sandbox page. */
export const SANDBOX_CSS = `
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 14px; background: #f5f5f5; border-bottom: 1px solid #ddd; }
header h1 { font-size: 18px; margin: 0 0 6px; } header h1 small { font-weight: normal; color: #555; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
.controls input[type=number] { width: 5em; }
.bugs label { margin-right: 6px; font: 12px ui-monospace, Menlo, Consolas, monospace; }
.lesson { padding: 6px 14px; background: #fffbe6; border-bottom: 1px solid #eee2a8; }
.lesson h2 { font-size: 15px; margin: 2px 0; } .lesson p { margin: 3px 0; max-width: 110em; }
.explore { padding: 6px 14px; border-bottom: 1px solid #ddd; }
.explore button { margin: 2px; color: #c62828; }
.status { padding: 4px 14px; } .status p { margin: 2px 0; }
.status code { background: #fff; border: 1px solid #ddd; padding: 1px 4px; user-select: all; }
.failed { color: #c62828; font-weight: bold; } .ok { color: #2e7d32; font-weight: bold; }
.error { color: #c62828; white-space: pre-wrap; }
.keys { color: #666; font-size: 12px; }
main { display: flex; align-items: flex-start; border-top: 1px solid #ddd; }
.diagrams { flex: 1 1 auto; overflow: auto; max-height: 70vh; display: flex; gap: 8px; }
.diagrams .diagram-box h2 { font-size: 14px; margin: 4px; }
main.comparing { flex-direction: column; }
main.comparing .diagrams { max-height: 60vh; width: 100%; }
main.comparing .diagrams svg.diagram { zoom: 0.72; }
main.comparing .state-panel { flex: 1 1 auto; border-left: none; border-top: 1px solid #ddd; display: flex; gap: 24px; max-height: none; }
main.comparing .state-panel > div { flex: 1 1 50%; }
.state-panel { flex: 0 0 400px; padding: 6px 12px; border-left: 1px solid #ddd; max-height: 70vh; overflow: auto; }
.state-panel h2 { font-size: 14px; margin: 8px 0 2px; }
.editors { padding: 6px 14px; } .editors textarea { width: 100%; font: 12px ui-monospace, Menlo, Consolas, monospace; }
`;
