/* <asm/spu_csa.h>: the SPU context save area (CSA): everything of an SPU context that is not on
 * an SPE while the context is saved (arch/powerpc/include/asm/spu_csa.h).
 *
 * The local store copy (lscsa->ls) is vmalloc memory (spufs/lscsa_alloc.c, switch.c before
 * 2.6.22): a SAVED context's mem mapping points there (cached), a RUNNABLE one's at the SPE's
 * physical local store (uncached). `prob` holds the problem-state registers as they were at save
 * time and is what spu_backing_ops (backing_ops.c) reads and writes while the context is saved;
 * spu_restore loads it into the SPE again. The channel counts and data follow the real layout
 * (indexed by channel number): channel 29 (SPU_RdInMbox) holds the inbound mailbox (up to four
 * entries, in spu_mailbox_data), 28 (SPU_WrOutMbox) the outbound one, 3 and 4 the signal
 * notification registers. */
#ifndef _ASM_POWERPC_SPU_CSA_H
#define _ASM_POWERPC_SPU_CSA_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <asm/spu.h>

/* The local-store part of the save area (struct spu_lscsa). */
struct spu_lscsa {
	u8 ls[LS_SIZE];
};

/* The problem-state registers of a saved context (struct spu_problem_collapsed). */
struct spu_problem_collapsed {
	u32 pu_mb_R;
	u32 spu_mb_W;
	u32 mb_stat_R;
	u32 spu_runcntl_RW;
	u32 spu_status_R;
	u32 spu_spe_R;
	u32 spu_npc_RW;
	u32 signal_notify1;
	u32 signal_notify2;
};

struct spu_state {
	struct spu_lscsa *lscsa;
	struct spu_problem_collapsed prob;
	u64 spu_chnlcnt_RW[32];
	u64 spu_chnldata_RW[32];
	u32 spu_mailbox_data[4];
	u32 pu_mailbox_data[1];
	unsigned long class_0_pending;
	spinlock_t register_lock;
};

/* switch.c: allocate and initialise a save area (the context starts saved and stopped), free it. */
int spu_init_csa(struct spu_state *csa);
void spu_fini_csa(struct spu_state *csa);
/* Save the context on `spu` into `csa` / load `csa` into `spu` (the context switch). */
int spu_save(struct spu_state *prev, struct spu *spu);
int spu_restore(struct spu_state *new, struct spu *spu);

#endif /* _ASM_POWERPC_SPU_CSA_H */
