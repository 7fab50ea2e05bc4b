// Entry of the bundled debug adapter, dist/debugAdapter.js (layer: debugAdapter): DAP on stdio, or
// `--server=PORT`. The shipped KC sources are found next to the bundle (kc/ beside dist/).

import { findKcRoot, serverPort, startDebugAdapter } from './server';

const port = serverPort(process.argv.slice(2));
if (typeof port === 'string') {
	process.stderr.write(`faultline debug adapter: ${port}\n`);
	process.exit(2);
}
startDebugAdapter({ kcRoot: findKcRoot(__dirname) ?? findKcRoot(process.cwd()) ?? 'kc', ...(port === undefined ? {} : { port }) });
