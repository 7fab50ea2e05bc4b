// State the debug adapter's request handlers share (layer: debugAdapter): the engine of the
// launched session, the variable references and frame ids of the current stop, and the thread the
// user last looked at. Frame ids and variable references are valid until the machine runs again.

import type { DebugEngine, MachineFrame as Frame, VariableStore } from '../sim/debug';

/** A frame id's meaning: frame `index` of task `pid` (captured frames for an oops stop). */
export interface FrameRef {
	readonly pid: number;
	readonly index: number;
	readonly frames?: readonly Frame[];
}

/** Thrown by handlers for a request that cannot be served now (sent as an error response). */
export class RequestError extends Error {}

/** The handlers' shared state. */
export class AdapterContext {
	engine: DebugEngine | undefined;
	variables: VariableStore | undefined;
	private frameRefs: FrameRef[] = [];
	/** The thread of the last stop or stack trace. */
	selectedPid: number | undefined;

	/** The engine, or a RequestError when there is no session yet. */
	requireEngine(): DebugEngine {
		if (this.engine === undefined) throw new RequestError('no program is running (launch first)');
		return this.engine;
	}

	/** The engine when the machine is stopped. */
	requireStopped(): DebugEngine {
		const engine = this.requireEngine();
		if (engine.isRunning) throw new RequestError('the machine is running (pause it first)');
		return engine;
	}

	requireVariables(): VariableStore {
		this.requireEngine();
		return this.variables!;
	}

	/** A new frame id. */
	frameId(ref: FrameRef): number {
		this.frameRefs.push(ref);
		return this.frameRefs.length;
	}

	frame(id: number | undefined): FrameRef | undefined {
		return id === undefined ? undefined : this.frameRefs[id - 1];
	}

	/** Forgets frame ids and variable references (the machine runs). */
	invalidate(): void {
		this.frameRefs = [];
		this.variables?.reset();
	}
}
