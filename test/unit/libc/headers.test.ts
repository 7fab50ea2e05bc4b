// Tests of the user headers shipped in kc/include (libc layer): every header compiles alone under
// the KC front end, and with gcc the headers give every constant, macro type and type layout the
// same value as glibc's own headers (one program compiled both ways must print the same).

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileUnit } from '../../../src/lang/frontEnd';
import { formatDiagnostic, type SourceProvider } from '../../../src/lang/source';
import { haveGcc } from './printfCases.test';

const includeDir = path.resolve(__dirname, '../../../kc/include');

const HEADERS = [
	'assert.h', 'ctype.h', 'errno.h', 'inttypes.h', 'limits.h', 'math.h', 'stdalign.h', 'stdarg.h', 'stdbool.h', 'stddef.h',
	'stdint.h', 'stdio.h', 'stdlib.h', 'stdnoreturn.h', 'string.h', 'strings.h', 'sys/types.h', 'unistd.h',
];

/** Integer-valued macros whose value and type must match glibc's. */
const INTEGER_MACROS = [
	'EOF', 'BUFSIZ', '_IOFBF', '_IOLBF', '_IONBF', 'SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'FILENAME_MAX', 'FOPEN_MAX', 'L_tmpnam', 'TMP_MAX',
	'EXIT_SUCCESS', 'EXIT_FAILURE', 'RAND_MAX', 'STDIN_FILENO', 'STDOUT_FILENO', 'STDERR_FILENO',
	'CHAR_BIT', 'MB_LEN_MAX', 'SCHAR_MIN', 'SCHAR_MAX', 'UCHAR_MAX', 'CHAR_MIN', 'CHAR_MAX', 'SHRT_MIN', 'SHRT_MAX', 'USHRT_MAX',
	'INT_MIN', 'INT_MAX', 'UINT_MAX', 'LONG_MIN', 'LONG_MAX', 'ULONG_MAX', 'LLONG_MIN', 'LLONG_MAX', 'ULLONG_MAX', 'SSIZE_MAX',
	'PATH_MAX', 'NAME_MAX', 'PIPE_BUF',
	'INT8_MIN', 'INT16_MIN', 'INT32_MIN', 'INT64_MIN', 'INT8_MAX', 'INT16_MAX', 'INT32_MAX', 'INT64_MAX', 'UINT8_MAX', 'UINT16_MAX',
	'UINT32_MAX', 'UINT64_MAX', 'INT_LEAST8_MIN', 'INT_LEAST64_MAX', 'UINT_LEAST32_MAX', 'INT_FAST8_MIN', 'INT_FAST16_MIN',
	'INT_FAST32_MAX', 'INT_FAST64_MAX', 'UINT_FAST16_MAX', 'UINT_FAST32_MAX', 'INTPTR_MIN', 'INTPTR_MAX', 'UINTPTR_MAX', 'INTMAX_MIN',
	'INTMAX_MAX', 'UINTMAX_MAX', 'PTRDIFF_MIN', 'PTRDIFF_MAX', 'SIG_ATOMIC_MIN', 'SIG_ATOMIC_MAX', 'SIZE_MAX', 'WCHAR_MIN', 'WCHAR_MAX',
	'WINT_MIN', 'WINT_MAX', 'INT64_C(5)', 'UINT64_C(5)', 'INTMAX_C(5)', 'UINT32_C(5)',
	'true', 'false', '__bool_true_false_are_defined', '_ISupper', '_ISalpha', '_ISdigit', '_ISspace', '_ISblank', '_ISalnum',
	'EPERM', 'ENOENT', 'EINTR', 'EIO', 'EBADF', 'EAGAIN', 'EWOULDBLOCK', 'ENOMEM', 'EACCES', 'EFAULT', 'EBUSY', 'EEXIST', 'ENODEV',
	'EINVAL', 'ENOSPC', 'EPIPE', 'EDOM', 'ERANGE', 'EDEADLK', 'EDEADLOCK', 'ENOSYS', 'ENOTEMPTY', 'ELOOP', 'ENODATA', 'ETIME',
	'EOVERFLOW', 'EILSEQ', 'ENOTSOCK', 'EOPNOTSUPP', 'ENOTSUP', 'EADDRINUSE', 'ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'ESTALE',
	'EDQUOT', 'ECANCELED', 'EOWNERDEAD', 'ENOTRECOVERABLE', 'ERFKILL', 'EHWPOISON',
];

/** String macros (printf formats). */
const STRING_MACROS = ['PRId8', 'PRIi16', 'PRId32', 'PRId64', 'PRIu64', 'PRIx64', 'PRIX64', 'PRIo64', 'PRIdPTR', 'PRIuPTR', 'PRIxPTR',
	'PRIdMAX', 'PRIuMAX', 'PRIdFAST16', 'PRIuFAST32', 'PRIxLEAST64', 'SCNd8', 'SCNd16', 'SCNu64', 'SCNxPTR'];

/** Floating macros. */
const FLOAT_MACROS = ['M_PI', 'M_E', 'M_SQRT2', 'M_LN2', 'M_LOG2E', 'M_PI_2', 'M_1_PI', 'HUGE_VAL', 'INFINITY'];

/** Types whose size, alignment and signedness must match. */
const TYPES = ['size_t', 'ssize_t', 'ptrdiff_t', 'wchar_t', 'max_align_t', 'off_t', 'pid_t', 'uid_t', 'gid_t', 'mode_t', 'dev_t', 'ino_t',
	'nlink_t', 'time_t', 'clock_t', 'blksize_t', 'blkcnt_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t',
	'uint64_t', 'int_least8_t', 'int_least16_t', 'uint_least64_t', 'int_fast8_t', 'int_fast16_t', 'int_fast32_t', 'int_fast64_t',
	'uint_fast16_t', 'uint_fast32_t', 'intptr_t', 'uintptr_t', 'intmax_t', 'uintmax_t', 'va_list', 'bool', 'u_int32_t', 'u_long'];

function probeProgram(): string {
	const includes = HEADERS.map(h => `#include <${h}>`).join('\n');
	const lines = [
		includes,
		// The type of a macro's expansion, as its size and signedness (KC has no _Generic).
		'#define TYPE_OF(X) sizeof(X), (X) * 0 - 1 < 0',
		'int main(void) {',
		...INTEGER_MACROS.map(m => `\tprintf("%s = %lld size %zu signed %d\\n", ${JSON.stringify(m)}, (long long)(${m}), TYPE_OF(${m}));`),
		...STRING_MACROS.map(m => `\tprintf("%s = \\"%s\\"\\n", ${JSON.stringify(m)}, ${m});`),
		...FLOAT_MACROS.map(m => `\tprintf("%s = %.17g size %zu\\n", ${JSON.stringify(m)}, (double)(${m}), sizeof(${m}));`),
		...TYPES.map(t => `\tprintf("%s: size %zu align %zu signed %d\\n", ${JSON.stringify(t)}, sizeof(${t}), _Alignof(${t}), ${t === 'va_list' || t === 'max_align_t' ? '-1' : `(${t})-1 < (${t})0`});`),
		'\tprintf("NULL size %zu, offsetof %zu, errno lvalue %d\\n", sizeof(NULL), offsetof(struct { char c; long l; }, l), (errno = 5, errno));',
		'\tprintf("stdout is a FILE*: %d, isdigit(\'7\') = %d, assert %d\\n", stdout != NULL, isdigit(\'7\'), (assert(1), 1));',
		'\treturn 0;',
		'}',
	];
	return lines.join('\n') + '\n';
}

describe('kc/include headers', () => {
	const sources: SourceProvider = {
		read: p => (fs.existsSync(p) ? fs.readFileSync(p, 'latin1') : undefined),
		resolveInclude: (name, from, quoted) => {
			const candidates = [...(quoted ? [path.join(path.dirname(from), name)] : []), path.join(includeDir, name)];
			return candidates.find(c => fs.existsSync(c) && fs.statSync(c).isFile());
		},
	};

	it('every header compiles alone and twice in a row under the KC front end', () => {
		const problems: string[] = [];
		for (const header of HEADERS) {
			const file = path.join(os.tmpdir(), 'faultline-header-probe.c');
			const text = `#include <${header}>\n#include <${header}>\nint main(void) { return 0; }\n`;
			const provider: SourceProvider = { read: p => (p === file ? text : sources.read(p)), resolveInclude: sources.resolveInclude };
			const r = compileUnit(file, provider);
			problems.push(...r.diagnostics.filter(d => d.severity === 'error').map(d => `${header}: ${formatDiagnostic(d)}`));
		}
		assert.deepEqual(problems, []);
	});

	it('the probe program of every macro and type compiles under the KC front end', () => {
		const file = path.join(os.tmpdir(), 'faultline-headers-probe.c');
		const text = probeProgram();
		const provider: SourceProvider = { read: p => (p === file ? text : sources.read(p)), resolveInclude: sources.resolveInclude };
		const r = compileUnit(file, provider);
		assert.deepEqual(r.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
	});

	it('gives every constant, macro type and type layout the value glibc\'s headers give (gcc)', function () {
		if (!haveGcc()) {
			this.skip();
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-headers-'));
		try {
			const source = path.join(dir, 'probe.c');
			fs.writeFileSync(source, probeProgram());
			const build = (binary: string, extra: string[]): string => {
				execFileSync('gcc', ['-std=gnu11', '-O0', '-w', ...extra, '-o', binary, source, '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
				return execFileSync(binary).toString('latin1');
			};
			const glibc = build(path.join(dir, 'system'), []);
			const ours = build(path.join(dir, 'kc'), ['-nostdinc', '-isystem', includeDir]);
			assert.ok(glibc.split('\n').length > INTEGER_MACROS.length + TYPES.length);
			assert.equal(ours, glibc);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
