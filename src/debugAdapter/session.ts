// The Faultline debug session (layer: debugAdapter): the DAP server on @vscode/debugadapter. It
// owns the session's lifecycle (initialize, launch, configurationDone, disconnect), run control
// (continue, next, stepIn, stepOut, stepBack, reverseContinue, pause) and dispatch: breakpoints,
// stack and variables, memory and custom requests live in their own modules. Every request gets a
// response or an error response: handlers throw RequestError for requests that cannot be served,
// and anything else thrown is caught and reported the same way (the adapter never dies on input).

import { DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, Thread, Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugEngine, VariableStore, type StopInfo } from '../sim/debug';
import { FaultlineEvents, type FaultlineLaunchArguments, type FaultlineRequestName } from '../shared/debugProtocol';
import { breakpointLocations, dataBreakpointInfo, exceptionFilters, exceptionInfo, setBreakpoints, setDataBreakpoints, setExceptionBreakpoints, setFunctionBreakpoints } from './breakpoints';
import { AdapterContext, RequestError } from './context';
import { customRequest, customRequests } from './custom';
import { readMemory, writeMemory } from './memory';
import { completionItems, evaluate, scopes, setVariable, stackTrace, variables } from './stack';

/** Options of a session (what the process that runs it knows). */
export interface SessionOptions {
	/** The shipped KC root (kc/), unless a launch configuration names one. */
	readonly kcRoot: string;
}

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & FaultlineLaunchArguments;

/** One debug session over one simulated machine. */
export class FaultlineSession extends DebugSession {
	private readonly context = new AdapterContext();
	private launchArgs: LaunchRequestArguments | undefined;
	private configured = false;
	private started = false;
	private terminated = false;

	constructor(private readonly options: SessionOptions) {
		super();
		this.setDebuggerLinesStartAt1(true);
		this.setDebuggerColumnsStartAt1(true);
	}

	// ---- Dispatch: every request answered -------------------------------------------------------------

	protected dispatchRequest(request: DebugProtocol.Request): void {
		if (customRequests.has(request.command)) {
			this.faultlineRequest(request.command, this.response(request), request.arguments);
			return;
		}
		try {
			super.dispatchRequest(request);
		} catch (error) {
			this.fail(this.response(request), error);
		}
	}

	private response(request: DebugProtocol.Request): DebugProtocol.Response {
		return { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: true };
	}

	/** Sends an error response for anything a handler threw. */
	private fail(response: DebugProtocol.Response, error: unknown): void {
		const message = error instanceof RequestError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
		this.sendErrorResponse(response, { id: error instanceof RequestError ? 2001 : 2002, format: message.replace(/[{}]/g, ''), showUser: false });
	}

	/** Runs a synchronous handler and sends its body, or an error response. */
	private handle<R extends DebugProtocol.Response>(response: R, body: () => R['body']): void {
		try {
			response.body = body();
			this.sendResponse(response);
		} catch (error) {
			this.fail(response, error);
		}
	}

	// ---- Lifecycle ----------------------------------------------------------------------------------

	protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
		response.body = {
			supportsConfigurationDoneRequest: true,
			supportsFunctionBreakpoints: true,
			supportsConditionalBreakpoints: true,
			supportsHitConditionalBreakpoints: true,
			supportsLogPoints: true,
			supportsEvaluateForHovers: true,
			supportsStepBack: true,
			supportsSetVariable: true,
			supportsExceptionInfoRequest: true,
			supportsExceptionFilterOptions: true,
			exceptionBreakpointFilters: exceptionFilters,
			supportsBreakpointLocationsRequest: true,
			supportsReadMemoryRequest: true,
			supportsWriteMemoryRequest: true,
			supportsCompletionsRequest: true,
			completionTriggerCharacters: [' '],
			supportsSingleThreadExecutionRequests: true,
			supportsValueFormattingOptions: true,
			supportsTerminateRequest: true,
			supportsDelayedStackTraceLoading: true,
			supportsLoadedSourcesRequest: false,
			supportsModulesRequest: true,
			supportsDataBreakpoints: true,
			supportsDataBreakpointBytes: true,
		};
		this.sendResponse(response);
	}

	protected launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
		if (this.context.engine !== undefined) {
			this.fail(response, new RequestError('this session has launched already'));
			return;
		}
		const program = typeof args.program === 'string' ? args.program : undefined;
		const scenario = typeof args.scenario === 'string' ? args.scenario : undefined;
		const launched = DebugEngine.launch({
			...(program === undefined ? {} : { program }),
			...(scenario === undefined ? {} : { scenario }),
			...(Array.isArray(args.args) ? { args: args.args.map(String) } : {}),
			...(typeof args.profile === 'string' ? { profile: args.profile } : {}),
			...(typeof args.seed === 'number' ? { seed: args.seed } : {}),
			...(typeof args.checkpointInterval === 'number' ? { checkpointInterval: Math.max(0, Math.floor(args.checkpointInterval)) } : {}),
			kcRoot: typeof args.kcRoot === 'string' ? args.kcRoot : this.options.kcRoot,
			output: (category, text) => this.sendEvent(new OutputEvent(text, category)),
		});
		for (const warning of launched.warnings) this.sendEvent(new OutputEvent(`${warning}\n`, 'console'));
		if (launched.engine === undefined) {
			this.fail(response, new RequestError(launched.errors.join('\n')));
			return;
		}
		this.context.engine = launched.engine;
		this.context.variables = new VariableStore(launched.engine);
		this.launchArgs = args;
		this.sendResponse(response);
		this.sendEvent(new InitializedEvent());
		if (this.configured) this.begin();
	}

	protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
		this.configured = true;
		this.sendResponse(response);
		if (this.context.engine !== undefined) this.begin();
	}

	/** Starts running once launched and configured. */
	private begin(): void {
		if (this.started) return;
		this.started = true;
		const engine = this.context.engine!;
		const args = this.launchArgs!;
		if (args.noDebug === true) {
			engine.setSourceBreakpoints('', []);
		}
		void this.run(() => engine.start(args.stopOnEntry === true && args.noDebug !== true));
	}

	protected disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
		this.context.engine?.pause();
		this.context.engine?.dispose();
		this.sendResponse(response);
	}

	protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
		this.context.engine?.pause();
		this.sendResponse(response);
		this.terminate();
	}

	private terminate(): void {
		if (this.terminated) return;
		this.terminated = true;
		this.sendEvent(new TerminatedEvent());
	}

	// ---- Threads and run control ----------------------------------------------------------------------

	protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
		const engine = this.context.engine;
		response.body = { threads: engine === undefined ? [] : engine.threads().map(t => new Thread(t.pid, `${t.name}${t.kind === 'kernel' ? ' [kernel thread]' : ''}`)) };
		this.sendResponse(response);
	}

	/** Runs an engine command and reports the stop that ends it. */
	private async run(command: () => Promise<StopInfo>): Promise<void> {
		this.context.invalidate();
		let stop: StopInfo;
		try {
			stop = await command();
		} catch (error) {
			this.sendEvent(new OutputEvent(`faultline: internal error while running: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`, 'stderr'));
			const pid = this.context.engine?.lastStop?.pid;
			this.sendEvent(new StoppedEvent('exception', pid, 'internal error'));
			return;
		}
		this.report(stop);
	}

	private report(stop: StopInfo): void {
		const engine = this.context.engine!;
		if (stop.reason === 'exited') {
			const first = engine.machine.processes[0]?.task.exitCode;
			this.sendEvent(new ExitedEvent(first === undefined ? 0 : (first & 0x7f) !== 0 ? 128 + (first & 0x7f) : (first >> 8) & 0xff));
			this.terminate();
			return;
		}
		this.context.selectedPid = stop.pid;
		const event = new StoppedEvent(stop.reason, stop.pid, stop.text ?? stop.description) as DebugProtocol.StoppedEvent;
		event.body.description = stop.description;
		event.body.allThreadsStopped = true;
		if (stop.hitBreakpointIds !== undefined) event.body.hitBreakpointIds = [...stop.hitBreakpointIds];
		this.sendEvent(event);
		this.sendEvent(new Event(FaultlineEvents.machineStopped, { time: engine.executed, reason: stop.reason, ...(stop.pid === undefined ? {} : { threadId: stop.pid }) }));
		this.sendEvent(new Event(FaultlineEvents.timelineChanged, { total: engine.timeline.length }));
	}

	/** Answers a run request now and runs the machine after it. */
	private resume(response: DebugProtocol.Response, command: (engine: DebugEngine) => Promise<StopInfo>, body?: DebugProtocol.Response['body']): void {
		let engine: DebugEngine;
		try {
			engine = this.context.requireStopped();
			if (!this.started) throw new RequestError('the session has not started (configurationDone)');
		} catch (error) {
			this.fail(response, error);
			return;
		}
		if (body !== undefined) response.body = body;
		this.sendResponse(response);
		void this.run(() => command(engine));
	}

	private threadArgument(threadId: unknown): number {
		const engine = this.context.requireEngine();
		const pid = Number(threadId);
		if (engine.task(pid) === undefined) throw new RequestError(`no thread ${String(threadId)}`);
		return pid;
	}

	protected continueRequest(response: DebugProtocol.ContinueResponse): void {
		this.resume(response, engine => engine.continue(), { allThreadsContinued: true });
	}

	private step(response: DebugProtocol.Response, args: { threadId: number; singleThread?: boolean }, kind: 'in' | 'over' | 'out'): void {
		let pid: number;
		try {
			pid = this.threadArgument(args.threadId);
		} catch (error) {
			this.fail(response, error);
			return;
		}
		const single = args.singleThread ?? this.launchArgs?.singleThread === true;
		this.resume(response, engine => engine.stepTask(pid, kind, single));
	}

	protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
		this.step(response, args, 'over');
	}

	protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
		this.step(response, args, 'in');
	}

	protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
		this.step(response, args, 'out');
	}

	protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
		let pid: number;
		try {
			pid = this.threadArgument(args.threadId);
		} catch (error) {
			this.fail(response, error);
			return;
		}
		this.resume(response, engine => engine.stepBack(pid));
	}

	protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
		this.resume(response, engine => engine.reverseContinue());
	}

	protected pauseRequest(response: DebugProtocol.PauseResponse): void {
		try {
			this.context.requireEngine().pause();
			this.sendResponse(response);
		} catch (error) {
			this.fail(response, error);
		}
	}

	// ---- Delegated requests ---------------------------------------------------------------------------

	protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
		this.handle(response, () => ({ breakpoints: setBreakpoints(this.context, args) }));
	}

	protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
		this.handle(response, () => ({ breakpoints: setFunctionBreakpoints(this.context, args) }));
	}

	protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
		this.handle(response, () => ({ breakpoints: setExceptionBreakpoints(this.context, args) }));
	}

	protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
		this.handle(response, () => dataBreakpointInfo(this.context, args));
	}

	protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
		this.handle(response, () => ({ breakpoints: setDataBreakpoints(this.context, args) }));
	}

	protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
		this.handle(response, () => ({ breakpoints: breakpointLocations(this.context, args) }));
	}

	protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
		this.handle(response, () => exceptionInfo(this.context, args));
	}

	protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
		this.handle(response, () => stackTrace(this.context, args));
	}

	protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
		this.handle(response, () => ({ scopes: scopes(this.context, args) }));
	}

	protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
		this.handle(response, () => ({ variables: variables(this.context, args) }));
	}

	protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
		this.handle(response, () => setVariable(this.context, args));
		this.sendInvalidated();
	}

	protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
		this.handle(response, () => evaluate(this.context, args));
	}

	protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
		this.handle(response, () => ({ targets: completionItems(this.context, args) }));
	}

	protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
		this.handle(response, () => readMemory(this.context, args));
	}

	protected writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
		this.handle(response, () => writeMemory(this.context, args));
		this.sendInvalidated();
	}

	protected modulesRequest(response: DebugProtocol.ModulesResponse): void {
		this.handle(response, () => {
			const engine = this.context.requireEngine();
			const modules = engine.system.kernelPrograms().map((program, index) => ({ id: program.name, name: index === 0 ? 'kernel' : program.name, addressRange: `0x${program.textBase.toString(16)}-0x${program.textEnd.toString(16)}` }));
			return { modules, totalModules: modules.length };
		});
	}

	/** After a write, views must read again. */
	private sendInvalidated(): void {
		this.sendEvent(new Event('invalidated', { areas: ['variables'] }));
	}

	/** A `faultline/...` request (see custom.ts). */
	private faultlineRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
		try {
			const result = customRequest(this.context, command as FaultlineRequestName, args);
			if (result instanceof Promise) {
				result.then(({ body, stop }) => {
					response.body = body;
					this.sendResponse(response);
					this.report(stop);
				}, error => this.fail(response, error));
				return;
			}
			response.body = result;
			this.sendResponse(response);
		} catch (error) {
			this.fail(response, error);
		}
	}
}
