// Era tests (test layer over sim): every driver-free program of test/differential runs on every
// Linux profile and must print what real Linux printed (<name>.expected, recorded on a modern
// kernel), except for the documented era differences of `eraDifferences` below: behaviour the real
// kernel of that era had (each entry cites kernel-semantics.md or Linux history with versions) and
// that the KC kernel reproduces through LINUX_VERSION_CODE. Anything else that differs is a bug.
//
// One boot per profile (execFile caches booted machines), programs run one after another.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from '../../src/sim/exec';
import { profiles } from '../../src/sim/profiles';

const differentialDir = path.resolve(__dirname, '../differential');
const kcRoot = path.resolve(__dirname, '../../kc');

interface Outcome {
	readonly stdout: string;
	readonly status: number;
}

/**
 * A behaviour of older kernels that changes what a differential program prints. The era's outcome
 * is given exactly (`lines` or `whole`), or, where it carries addresses, checked by `check`.
 */
interface EraDifference {
	/** The program (file name without `.c`). */
	readonly program: string;
	/** The Linux profiles that show the behaviour. */
	readonly profiles: readonly string[];
	/** What the era does, for test titles. */
	readonly behaviour: string;
	/** Where the behaviour is documented (kernel-semantics.md section, or Linux history with versions). */
	readonly source: string;
	/** Pairs [line as recorded on modern Linux, line on the era's kernel]; each must occur in .expected. */
	readonly lines?: readonly (readonly [string, string])[];
	/** The era's whole outcome, when the program takes another path from the start. */
	readonly whole?: Outcome;
	/** Checks an outcome that cannot be spelled out exactly (it carries addresses). */
	readonly check?: (got: Outcome, expected: Outcome) => void;
}

const before2_6_21 = ['linux-2.6.18'];
const before2_6_25 = ['linux-2.6.18', 'linux-2.6.21'];
const before2_6_30 = ['linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27'];
const before4_17 = ['linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27'];

const MINCORE_ANON = {
	behaviour: 'mincore on anonymous memory fails with ENOMEM',
	source:
		'Linux 2.6.18 mm/mincore.c do_mincore: "Right now, we don\'t do any anonymous mappings" (!vma->vm_file gives -ENOMEM); ' +
		'anonymous VMAs are walked since Nick Piggin\'s "mm: mincore anon" (42da9cbd3ee; posted as "mm: make mincore work for general mappings", linux-mm 2007-01-30), Linux 2.6.21',
	profiles: before2_6_21,
};

/** mincore_anon's residency lines print "<label>: mincore failed" when mincore fails. */
function mincoreFailedLine(line: string): readonly [string, string] {
	const label = /^(.*:)\s+[01]{16}$/.exec(line);
	assert.ok(label, `not a residency line: ${line}`);
	return [line, `${label[1]}: mincore failed`];
}

const ANONYMOUS_MAPS_LINE = /^(.*: perms [-r][-w][-x][ps] offset )([0-9a-f]+)( inode 0 path (?:\(empty\)|\[stack\]))$/;

/** The documented era differences (kept small: each one is a real kernel's behaviour). */
const eraDifferences: readonly EraDifference[] = [
	{
		...MINCORE_ANON,
		program: 'mincore_anon',
		lines: [
			mincoreFailedLine('fresh mapping:                     0000000000000000'),
			mincoreFailedLine('after writing pages 0, 2, 15:      1010000000000001'),
			mincoreFailedLine('after reading page 5:              1010010000000001'),
			mincoreFailedLine('after writing pages 8-11:          1010010011110001'),
			mincoreFailedLine('after MADV_DONTNEED pages 0-3:     0000010011110001'),
			mincoreFailedLine('after reading pages 0 and 2:       1010010011110001'),
			['mincore unaligned length: 0, entries 1 and untouched 255', 'mincore unaligned length: -1, entries 1 and untouched 255'],
		],
	},
	{ ...MINCORE_ANON, program: 'madvise_dontneed', lines: [['private anonymous resident: 1001', 'private anonymous resident: mincore failed']] },
	{ ...MINCORE_ANON, program: 'munmap_split', lines: [['mincore page 1: mapped', 'mincore page 1: ENOMEM'], ['mincore page 3: mapped', 'mincore page 3: ENOMEM']] },
	// These two count resident pages with mincore and count none when it fails.
	{ ...MINCORE_ANON, program: 'large_touch', lines: [['resident pages: 4096', 'resident pages: 0']] },
	{ ...MINCORE_ANON, program: 'threads_disjoint', lines: [['resident pages: 64', 'resident pages: 0']] },
	{
		program: 'pagemap',
		profiles: before2_6_25,
		behaviour: 'there is no /proc/PID/pagemap',
		source: 'Matt Mackall, "maps4: add /proc/pid/pagemap interface" (85863e475e5), Linux 2.6.25; Documentation/vm/pagemap.txt: "new (as of 2.6.25)"',
		whole: { stdout: 'cannot open /proc/self/pagemap\n', status: 1 },
	},
	{
		program: 'map_fixed',
		profiles: before4_17,
		behaviour: 'MAP_FIXED_NOREPLACE is an unknown flag bit, so the address is only a hint',
		source: 'Michal Hocko, "mm: introduce MAP_FIXED_NOREPLACE" (a4ff8e8620d3), Linux 4.17; older kernels ignore unknown mmap flags and place the mapping elsewhere (mmap(2))',
		lines: [
			['MAP_FIXED_NOREPLACE over a mapped page: failed errno EEXIST', 'MAP_FIXED_NOREPLACE over a mapped page: mapped errno other'],
			['MAP_FIXED_NOREPLACE half over a hole, half mapped: failed errno EEXIST', 'MAP_FIXED_NOREPLACE half over a hole, half mapped: mapped errno other'],
		],
	},
	{
		program: 'proc_maps',
		profiles: before2_6_30,
		behaviour: '/proc/PID/maps shows the vm_pgoff of anonymous VMAs (their start address) as the offset',
		source:
			'commit 6260a4b0521 ("/proc/pid/maps: don\'t show pgoff of pure ANON VMAs"), Linux 2.6.30; before it show_map printed vm_pgoff << PAGE_SHIFT for every VMA, ' +
			'and an anonymous VMA\'s vm_pgoff is vm_start >> PAGE_SHIFT (do_mmap_pgoff "Set pgoff according to addr for anon_vma", insert_vm_struct, expand_stack)',
		check: (got, expected) => {
			assert.equal(got.status, expected.status);
			const gotLines = got.stdout.split('\n');
			const wantLines = expected.stdout.split('\n');
			assert.equal(gotLines.length, wantLines.length, got.stdout);
			let anonymous = 0;
			const offsets = new Set<string>();
			for (let i = 0; i < wantLines.length; i++) {
				const want = ANONYMOUS_MAPS_LINE.exec(wantLines[i]);
				const line = ANONYMOUS_MAPS_LINE.exec(gotLines[i]);
				if (want === null || line === null || want[2] !== '00000000') {
					assert.equal(gotLines[i], wantLines[i]);
					continue;
				}
				// The same line but for the offset: a page-aligned user address, one per VMA.
				assert.equal(line[1] + line[3], want[1] + want[3]);
				const offset = BigInt(`0x${line[2]}`);
				assert.ok(offset > 0n && offset % 4096n === 0n && offset < 0x8000_0000_0000n, `${gotLines[i]}: the offset is not an anonymous VMA's start`);
				assert.ok(!offsets.has(line[2]), `${gotLines[i]}: two VMAs with one vm_pgoff`);
				offsets.add(line[2]);
				anonymous++;
			}
			assert.equal(anonymous, 4, 'three anonymous mappings and the stack');
		},
	},
];

/** Splits an .expected file into stdout and the status of its final `exit=<status>` line. */
function parseExpected(text: string, name: string): Outcome {
	const match = /(?:^|\n)exit=(\d+)\n$/.exec(text);
	assert.ok(match, `${name}: the last line must be exit=<status>`);
	return { stdout: text.slice(0, match.index + (match[0].startsWith('\n') ? 1 : 0)), status: Number(match[1]) };
}

/** Replaces each pair's first line by its second; every first line must be a whole line of `stdout`. */
function applyLines(stdout: string, lines: readonly (readonly [string, string])[]): string {
	const out = stdout.split('\n');
	for (const [modern, era] of lines) {
		const at = out.indexOf(modern);
		assert.ok(at >= 0, `era table: "${modern}" is not a line of the .expected output`);
		out[at] = era;
	}
	return out.join('\n');
}

function runProgram(file: string, profile: string): Outcome & { readonly stderr: string } {
	const out: Uint8Array[] = [];
	const err: Uint8Array[] = [];
	const status = execFile({ file, args: [], kcRoot, profile, maxStatements: 2_000_000_000, stdout: b => out.push(Uint8Array.from(b)), stderr: b => err.push(Uint8Array.from(b)) });
	return { stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status };
}

const programs = fs
	.readdirSync(differentialDir)
	.filter(f => f.endsWith('.c'))
	.sort()
	.map(f => f.slice(0, -2));

const linuxProfiles = profiles.filter(p => p.os === 'linux').map(p => p.name);

describe('era tests: the differential programs on every Linux profile', function () {
	this.timeout(120000);

	it('has an era table naming existing programs and profiles, each entry with one kind of expectation and a source', () => {
		for (const entry of eraDifferences) {
			assert.ok(programs.includes(entry.program), `${entry.program} is not a differential program`);
			assert.ok(entry.profiles.length > 0 && entry.profiles.every(p => linuxProfiles.includes(p)), `${entry.program}: unknown profile`);
			assert.ok(!entry.profiles.includes('linux-6.8'), `${entry.program}: linux-6.8 is the kernel the .expected files come from`);
			assert.equal([entry.lines, entry.whole, entry.check].filter(x => x !== undefined).length, 1, entry.program);
			assert.match(entry.source, /(?:Linux \d|kernel-semantics)/, `${entry.program}: the source names no version`);
			const expected = parseExpected(fs.readFileSync(path.join(differentialDir, `${entry.program}.expected`), 'latin1'), entry.program);
			if (entry.lines !== undefined) assert.notEqual(applyLines(expected.stdout, entry.lines), expected.stdout);
		}
		const keys = eraDifferences.flatMap(e => e.profiles.map(p => `${e.program} ${p}`));
		assert.equal(new Set(keys).size, keys.length, 'one entry per program and profile');
	});

	for (const profile of linuxProfiles) {
		describe(profile, () => {
			for (const name of programs) {
				const era = eraDifferences.find(e => e.program === name && e.profiles.includes(profile));
				const title = era === undefined ? `runs ${name}.c like Linux` : `runs ${name}.c with the era's behaviour: ${era.behaviour}`;
				it(title, () => {
					const expected = parseExpected(fs.readFileSync(path.join(differentialDir, `${name}.expected`), 'latin1'), name);
					const got = runProgram(path.join(differentialDir, `${name}.c`), profile);
					const context = `stderr was:\n${got.stderr}`;
					if (era?.check !== undefined) {
						era.check(got, expected);
						return;
					}
					const want = era?.whole ?? (era?.lines !== undefined ? { stdout: applyLines(expected.stdout, era.lines), status: expected.status } : expected);
					assert.equal(got.stdout, want.stdout, `stdout differs; ${context}`);
					assert.equal(got.status, want.status, `exit status; ${context}`);
				});
			}
		});
	}
});
