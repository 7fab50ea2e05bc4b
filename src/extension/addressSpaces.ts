// The Address Spaces view (layer: extension): processes > VMAs > pages of the active `faultline`
// debug session, read with the adapter's `faultline/addressSpaces` custom request, refreshed when
// the machine stops (`faultline/machineStopped`) and cleared when the session ends. Pages are paged
// (the adapter's windows): a "more" node loads the next window, so a million-page VMA stays instant.

import * as vscode from 'vscode';
import { DEBUG_TYPE, FaultlineRequests, type AddressSpacesArguments, type AddressSpacesResponse, type PageSummary, type ProcessSummary, type VmaSummary } from '../shared/debugProtocol';

/** Pages fetched per window. */
const PAGE_WINDOW = 200;

/** A node of the tree. */
export type AddressSpaceNode =
	| { readonly kind: 'process'; readonly process: ProcessSummary }
	| { readonly kind: 'vma'; readonly pid: number; readonly vma: VmaSummary }
	| { readonly kind: 'page'; readonly pid: number; readonly page: PageSummary }
	| { readonly kind: 'more'; readonly pid: number; readonly vma: VmaSummary; readonly start: number; readonly total: number }
	| { readonly kind: 'message'; readonly text: string };

/** Tree data for the Address Spaces view. */
export class AddressSpacesProvider implements vscode.TreeDataProvider<AddressSpaceNode> {
	private readonly changed = new vscode.EventEmitter<AddressSpaceNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	/** Extra windows loaded per VMA (key pid:start), so a refresh keeps what the user expanded. */
	private readonly loaded = new Map<string, number>();

	/** Re-reads everything (on stop, on session change). */
	refresh(): void {
		this.changed.fire(undefined);
	}

	private session(): vscode.DebugSession | undefined {
		const session = vscode.debug.activeDebugSession;
		return session?.type === DEBUG_TYPE ? session : undefined;
	}

	private async request(args: AddressSpacesArguments): Promise<AddressSpacesResponse> {
		const session = this.session();
		if (session === undefined) throw new Error('no Faultline debug session');
		return await session.customRequest(FaultlineRequests.addressSpaces, args) as AddressSpacesResponse;
	}

	async getChildren(node?: AddressSpaceNode): Promise<AddressSpaceNode[]> {
		if (this.session() === undefined) return node === undefined ? [] : [];
		try {
			if (node === undefined) {
				const response = await this.request({});
				return (response.processes ?? []).filter(p => !p.kernelThread).map(process => ({ kind: 'process', process }));
			}
			if (node.kind === 'process') {
				const response = await this.request({ pid: node.process.pid });
				return (response.vmas ?? []).map(vma => ({ kind: 'vma', pid: node.process.pid, vma }));
			}
			if (node.kind === 'vma' || node.kind === 'more') {
				const vma = node.vma;
				const key = `${node.pid}:${vma.start}`;
				const from = node.kind === 'more' ? node.start : 0;
				const windows = node.kind === 'more' ? 1 : (this.loaded.get(key) ?? 1);
				const response = await this.request({ pid: node.pid, vma: vma.start, start: from, count: PAGE_WINDOW * windows });
				const pages: AddressSpaceNode[] = (response.pages ?? []).map(page => ({ kind: 'page', pid: node.pid, page }));
				const next = from + (response.pages?.length ?? 0);
				if (node.kind === 'more') this.loaded.set(key, (this.loaded.get(key) ?? 1) + 1);
				if (next < response.total) pages.push({ kind: 'more', pid: node.pid, vma, start: next, total: response.total });
				return pages;
			}
			return [];
		} catch (error) {
			return [{ kind: 'message', text: error instanceof Error ? error.message : String(error) }];
		}
	}

	getTreeItem(node: AddressSpaceNode): vscode.TreeItem {
		return treeItemFor(node);
	}
}

/** The TreeItem of a node (labels as /proc/PID/maps and the PTE bits read). */
export function treeItemFor(node: AddressSpaceNode): vscode.TreeItem {
	switch (node.kind) {
		case 'process': {
			const p = node.process;
			const item = new vscode.TreeItem(`${p.comm} (pid ${p.pid})`, vscode.TreeItemCollapsibleState.Collapsed);
			item.description = `${p.vmaCount} VMAs · ${p.state}`;
			item.tooltip = `mm ${p.mm}, thread ${p.threadId}`;
			item.contextValue = 'faultline.process';
			item.iconPath = new vscode.ThemeIcon('server-process');
			return item;
		}
		case 'vma': {
			const v = node.vma;
			const item = new vscode.TreeItem(`${v.start}-${v.end} ${v.perms}`, v.pages > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
			const handler = v.faultHandler === undefined ? '' : ` · ->fault ${v.faultHandler}`;
			item.description = `${v.backing}${handler} · ${v.mappedPages ?? '?'}/${v.pages} mapped`;
			item.tooltip = new vscode.MarkdownString(`**${v.start}-${v.end}** \`${v.perms}\`\n\nflags: ${v.flags.join(' ') || '-'}\n\nbacking: ${v.backing}, pgoff ${v.pgoff}, vm_ops ${v.ops}${v.accessHandler === undefined ? '' : `, ->access ${v.accessHandler}`}`);
			item.contextValue = `faultline.vma.${v.backing}`;
			item.iconPath = new vscode.ThemeIcon(v.backing === 'device' ? 'circuit-board' : v.backing === 'file' ? 'file' : 'symbol-array');
			return item;
		}
		case 'page': {
			const p = node.page;
			const bits = p.present ? [p.writable ? 'W' : 'R', p.user ? 'U' : 'K', p.accessed ? 'A' : '', p.dirty ? 'D' : '', p.special ? 'special' : ''].filter(Boolean).join(' ') : 'not present';
			const item = new vscode.TreeItem(p.va, vscode.TreeItemCollapsibleState.None);
			item.description = p.present ? `pfn ${p.pfn === undefined ? '?' : `0x${p.pfn.toString(16)}`} ${p.region ?? ''} · ${bits}` : bits;
			const page = p.page === undefined ? 'no struct page' : `refcount ${p.page.refcount}, mapcount ${p.page.mapcount}, flags ${p.page.flags.join('|') || '-'}`;
			item.tooltip = `PTE ${p.pte}\n${page}`;
			item.contextValue = p.present ? 'faultline.page.present' : 'faultline.page';
			return item;
		}
		case 'more':
			return Object.assign(new vscode.TreeItem(`Load ${Math.min(PAGE_WINDOW, node.total - node.start)} more pages (${node.start} of ${node.total} shown)`, vscode.TreeItemCollapsibleState.Collapsed), { contextValue: 'faultline.more' });
		case 'message':
			return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
	}
}
