// Stack, scopes, variables, setVariable, evaluate and completions (layer: debugAdapter). The
// engine's views become DAP shapes: frames carry their source file and a `label` row marks each
// system-call or fault entry; pointers and objects carry memory references; the debug console
// runs the engine's commands (`maps`, `vtop`...) and evaluates anything else as KC.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { completions, runCommand, stackOf } from '../sim/debug';
import type { AdapterContext } from './context';
import { RequestError } from './context';

function taskOf(context: AdapterContext, pid: number) {
	const engine = context.requireStopped();
	const task = engine.task(pid);
	if (task === undefined) throw new RequestError(`no thread ${pid}`);
	return task;
}

export function stackTrace(context: AdapterContext, args: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
	const engine = context.requireStopped();
	const task = taskOf(context, Number(args.threadId));
	context.selectedPid = task.pid;
	// An oops replaced the task's frames: show the ones captured when it happened.
	const stop = engine.lastStop;
	const captured = stop?.pid === task.pid ? stop.exception?.frames : undefined;
	const frames = captured ?? task.thread.frames;
	const rows = stackOf(engine, task, frames);
	const start = Math.max(0, Number(args.startFrame ?? 0) || 0);
	const levels = Number(args.levels ?? 0) || rows.length;
	const stackFrames: DebugProtocol.StackFrame[] = rows.slice(start, start + levels).map(row => {
		const id = context.frameId({ pid: task.pid, index: row.index, ...(captured === undefined ? {} : { frames: captured }) });
		return {
			id,
			name: row.name,
			line: row.line,
			column: row.column,
			...(row.file === undefined ? {} : { source: { name: row.file.split(/[\\/]/).pop() ?? row.file, path: row.file, ...(row.privilege === 'kernel' ? { origin: 'kernel' } : {}) } }),
			...(row.hint === 'label' ? { presentationHint: 'label' as const } : row.hint === 'subtle' ? { presentationHint: 'subtle' as const } : {}),
			moduleId: row.module,
		};
	});
	return { stackFrames, totalFrames: rows.length };
}

export function scopes(context: AdapterContext, args: DebugProtocol.ScopesArguments): DebugProtocol.Scope[] {
	context.requireStopped();
	const ref = context.frame(args.frameId);
	if (ref === undefined || ref.index < 0) throw new RequestError(`no frame ${args.frameId}`);
	const task = taskOf(context, ref.pid);
	return context.requireVariables().scopes(task, ref.index, ref.frames ?? task.thread.frames).map(s => ({
		name: s.name,
		variablesReference: s.reference,
		namedVariables: s.named,
		expensive: s.expensive,
		...(s.hint === undefined ? {} : { presentationHint: s.hint }),
	}));
}

function toVariable(row: ReturnType<NonNullable<AdapterContext['variables']>['variables']>[number]): DebugProtocol.Variable {
	return {
		name: row.name,
		value: row.value,
		type: row.type,
		variablesReference: row.reference,
		...(row.named === undefined ? {} : { namedVariables: row.named }),
		...(row.indexed === undefined ? {} : { indexedVariables: row.indexed }),
		...(row.memoryReference === undefined ? {} : { memoryReference: row.memoryReference }),
		...(row.evaluateName === undefined ? {} : { evaluateName: row.evaluateName }),
	};
}

export function variables(context: AdapterContext, args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
	context.requireStopped();
	const store = context.requireVariables();
	const previous = store.hex;
	if (args.format?.hex !== undefined) store.hex = args.format.hex;
	try {
		const start = Math.max(0, Number(args.start ?? 0) || 0);
		const count = args.count === undefined || Number(args.count) <= 0 ? undefined : Number(args.count);
		return store.variables(Number(args.variablesReference), start, count).map(toVariable);
	} finally {
		store.hex = previous;
	}
}

export function setVariable(context: AdapterContext, args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
	context.requireStopped();
	const result = context.requireVariables().setVariable(Number(args.variablesReference), String(args.name), String(args.value));
	if (typeof result === 'string') throw new RequestError(result);
	return { value: result.value, type: result.type, variablesReference: result.reference, ...(result.memoryReference === undefined ? {} : { memoryReference: result.memoryReference }) };
}

export function evaluate(context: AdapterContext, args: DebugProtocol.EvaluateArguments): DebugProtocol.EvaluateResponse['body'] {
	const engine = context.requireStopped();
	const ref = context.frame(args.frameId);
	const pid = ref?.pid ?? context.selectedPid ?? engine.lastStop?.pid;
	const task = pid === undefined ? undefined : engine.task(pid);
	const expression = String(args.expression ?? '');
	if (args.context === 'repl') {
		const command = runCommand(engine, expression, task);
		if (command !== undefined) {
			if (command.hex !== undefined) context.requireVariables().hex = command.hex;
			return { result: command.text, variablesReference: 0 };
		}
	}
	if (task === undefined) throw new RequestError('no thread to evaluate in');
	const frames = ref?.frames ?? task.thread.frames;
	const frame = ref !== undefined && ref.index >= 0 ? frames[ref.index] : task.thread.top;
	const store = context.requireVariables();
	const previous = store.hex;
	if (args.format?.hex !== undefined) store.hex = args.format.hex;
	try {
		const row = store.evaluate(task, frame, expression, args.context === 'repl');
		return {
			result: row.value,
			type: row.type,
			variablesReference: row.reference,
			...(row.named === undefined ? {} : { namedVariables: row.named }),
			...(row.indexed === undefined ? {} : { indexedVariables: row.indexed }),
			...(row.memoryReference === undefined ? {} : { memoryReference: row.memoryReference }),
		};
	} catch (error) {
		throw new RequestError(error instanceof Error ? error.message : String(error));
	} finally {
		store.hex = previous;
	}
}

export function completionItems(context: AdapterContext, args: DebugProtocol.CompletionsArguments): DebugProtocol.CompletionItem[] {
	context.requireEngine();
	return completions(String(args.text ?? ''), Number(args.column ?? 1)).map(c => ({ label: c.label, detail: c.detail, type: 'function' as const }));
}
