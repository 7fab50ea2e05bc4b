// Type declarations for the language-server packages (layer: languageServer). vscode-languageserver,
// vscode-languageserver-protocol and vscode-jsonrpc 10 publish their entry points only through
// package.json `exports`, which the repository's `moduleResolution: node` does not read; these
// ambient modules point TypeScript at the same files `exports` names. Node and esbuild resolve the
// real modules through `exports` at run time.

declare module 'vscode-jsonrpc' {
	export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
	export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
	export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
	export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-languageserver' {
	export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
	export * from 'vscode-languageserver/lib/node/main';
}
