// Type declarations for vscode-languageclient (layer: extension): version 11 publishes its entry
// points only through package.json `exports`, which the repository's `moduleResolution: node` does
// not read; this ambient module points TypeScript at the file `exports` names. esbuild resolves the
// real module through `exports` when it bundles dist/extension.js.

declare module 'vscode-languageclient/node' {
	export * from 'vscode-languageclient/lib/node/main';
}
