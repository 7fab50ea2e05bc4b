// Signature help for KC calls (layer: languageServer): the call around the cursor comes from the
// document's tokens (so it works while the arguments are still being typed); the callee is a
// function-like macro (what the preprocessor would expand), a function of the file scope, or any
// expression of function-pointer type (`vma->vm_ops->fault(vmf)`), typed as for completion.

import {
	MarkupKind,
	type ParameterInformation,
	type SignatureHelp,
	type SignatureInformation,
} from 'vscode-languageserver';
import { TokenKind } from '../lang/tokens';
import type { FunctionType } from '../lang/types';
import { typeToString } from '../lang/types';
import { baseType, visibleLocals } from './completion';
import { describeFunction, describeMacro, parameterList } from './describe';
import type { Project, Unit } from './project';
import { callContext } from './textScan';

/** Signature help at (line, col) (1-based), or null outside a call. */
export function signatureHelp(project: Project, unit: Unit, line: number, col: number): SignatureHelp | null {
	const call = callContext(unit.lexed, line, col);
	if (call === undefined) return null;
	const callee = call.callee;
	const name = callee[callee.length - 1].text;
	let signature: SignatureInformation | undefined;
	if (callee.length === 1 && callee[0].kind === TokenKind.Identifier) {
		const macro = unit.analysis.macros.get(name);
		const isLocal = visibleLocals(unit, line, col).some(v => v.name === name);
		if (macro !== undefined && macro.params !== undefined && !isLocal) {
			const description = describeMacro(project, macro, undefined);
			signature = build(`${name}(`, macro.params, ')', description.doc);
		} else {
			const entity = isLocal ? undefined : unit.analysis.fileScope.lookup(name);
			if (entity?.kind === 'symbol' && entity.symbol.kind === 'func') {
				const description = describeFunction(project, unit, entity.symbol);
				signature = fromWritten(name, description.code, description.doc) ?? fromFunctionType(name, entity.symbol.type, description.doc);
			}
		}
	}
	if (signature === undefined) {
		const type = baseType(unit, callee, line, col);
		const fn = type?.kind === 'pointer' ? type.to : type;
		if (fn?.kind === 'function') signature = fromFunctionType(name, fn, undefined);
	}
	if (signature === undefined) return null;
	const count = signature.parameters?.length ?? 0;
	return {
		signatures: [signature],
		activeSignature: 0,
		activeParameter: count === 0 ? 0 : Math.min(call.activeParameter, count - 1),
	};
}

/** A signature from a prototype as written (`vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, ...)`). */
function fromWritten(name: string, code: string, doc: string | undefined): SignatureInformation | undefined {
	const open = code.search(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\(`));
	if (open < 0 || !code.endsWith(')')) return undefined;
	const paren = code.indexOf('(', open);
	const inner = code.slice(paren + 1, -1);
	const params: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (c === '(' || c === '[') depth++;
		else if (c === ')' || c === ']') depth--;
		else if (c === ',' && depth === 0) {
			params.push(inner.slice(start, i).trim());
			start = i + 1;
		}
	}
	if (inner.trim() !== '') params.push(inner.slice(start).trim());
	return build(code.slice(0, paren + 1), params.filter(p => p !== 'void'), ')', doc);
}

function fromFunctionType(name: string, type: FunctionType, doc: string | undefined): SignatureInformation {
	const returns = typeToString(type.returns);
	const head = `${returns}${returns.endsWith('*') ? '' : ' '}${name}(`;
	const params = parameterList(type).filter(p => p !== 'void');
	return build(head, params, ')', doc);
}

/** A signature whose parameters are given as offsets into the label. */
function build(head: string, params: readonly string[], tail: string, doc: string | undefined): SignatureInformation {
	let label = head;
	const parameters: ParameterInformation[] = [];
	params.forEach((param, i) => {
		if (i > 0) label += ', ';
		parameters.push({ label: [label.length, label.length + param.length] });
		label += param;
	});
	label += tail;
	return { label, parameters, ...(doc !== undefined ? { documentation: { kind: MarkupKind.PlainText, value: doc } } : {}) };
}
