// Every KC kernel unit compiles for every Linux profile with zero diagnostics (errors and warnings),
// through the real front end with <linux/x.h> and <asm/x.h> resolved in kc/kernel/include.

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { formatDiagnostic } from '../../../../src/lang/source';
import { profiles } from '../../../../src/sim/profiles';
import { kernelSources, kernelUnits } from './kernelHarness';

describe('KC kernel: every unit compiles for every Linux profile', function () {
	this.timeout(60000);
	const linux = profiles.filter(p => p.os === 'linux');

	it('has the memory-management units', () => {
		const units = kernelUnits();
		for (const unit of ['mm/page_alloc.c', 'mm/memblock.c', 'mm/memory.c', 'mm/mmap.c', 'mm/slab.c', 'arch/x86/mm/pgtable.c', 'kernel/fork.c']) {
			assert.ok(units.includes(unit), unit);
		}
	});

	for (const profile of linux) {
		it(`${profile.name}: no diagnostics`, () => {
			const sources = kernelSources();
			const problems: string[] = [];
			for (const unit of kernelUnits()) {
				const result = compileUnit(unit, sources, { defines: { ...profile.defines } });
				problems.push(...result.diagnostics.map(formatDiagnostic));
				assert.ok(result.unit !== undefined || result.diagnostics.length > 0, unit);
			}
			assert.deepEqual(problems, []);
		});
	}

	it('selects era-specific declarations by LINUX_VERSION_CODE', () => {
		// A probe unit that only compiles when each era's names are what kernel-semantics.md section 9 says.
		const probe = `#include <linux/mm.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
static struct page *np(struct vm_area_struct *v, unsigned long a, int *t) { (void)v; (void)a; (void)t; return NOPAGE_SIGBUS; }
static const struct vm_operations_struct ops = { .nopage = np };
#elif LINUX_VERSION_CODE < KERNEL_VERSION(4, 11, 0)
static int fa(struct vm_area_struct *v, struct vm_fault *f) { (void)v; (void)f; return VM_FAULT_NOPAGE; }
static const struct vm_operations_struct ops = { .fault = fa };
#else
static vm_fault_t fa(struct vm_fault *f) { (void)f; return VM_FAULT_NOPAGE | VM_FAULT_RETRY; }
static const struct vm_operations_struct ops = { .fault = fa };
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
void lk(struct mm_struct *mm) { mmap_read_lock(mm); mmap_read_unlock(mm); }
#else
void lk(struct mm_struct *mm) { down_read(&mm->mmap_sem); up_read(&mm->mmap_sem); }
#endif
const void *ops_address(void) { return &ops; }
`;
		for (const profile of linux) {
			const result = compileUnit('test/probe.c', kernelSources({ 'test/probe.c': probe }), { defines: { ...profile.defines } });
			assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], profile.name);
		}
	});
});
