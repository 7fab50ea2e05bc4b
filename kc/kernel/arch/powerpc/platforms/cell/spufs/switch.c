/* spufs/switch.c: the SPU context switch: spu_save copies a context's state off an SPE into its
 * context save area (CSA), spu_restore loads a CSA onto an SPE (kernel-semantics.md 3.1).
 *
 * Linux's sequence has some seventy steps, most of them for the MFC (DMA queues, the SLB, the
 * decrementer) and for running save/restore code on the SPU itself. The simulated SPE has no MFC
 * and no register file beyond the problem state, so the steps kept are those that move state the
 * model has, under their Linux names: stop the SPU and remember whether it was running
 * (save_spu_runcntl, save_spu_status), its next program counter (save_spu_npc), the mailboxes and
 * signal-notification channels through priv2 channel access (save_ppu_mb, save_spu_mb,
 * save_ch_part1), the interrupt masks, and the local store (save_ls: Linux DMAs it out with code
 * running on the SPU; here the kernel copies it through its LS mapping). Restore runs the same in
 * reverse and finally resumes a context that was running, or re-creates the stopped status
 * (restore_status_part2: Linux gets there by running a stop instruction on the SPU).
 *
 * The save area's local store is vmalloc memory (lscsa_alloc.c in 2.6.22+): a SAVED context's
 * mem mapping points into it, so its pages are PG_reserved for remap (spu_alloc_lscsa). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <asm/io.h>
#include "spufs.h"

/* ---- The save area (switch.c spu_init_csa / lscsa_alloc.c) ---- */

static int spu_alloc_lscsa(struct spu_state *csa)
{
	struct spu_lscsa *lscsa;
	unsigned char *p;

	lscsa = vzalloc(sizeof(*lscsa));
	if (!lscsa)
		return -ENOMEM;
	csa->lscsa = lscsa;
	/* Set LS pages reserved to allow for user-space mapping. */
	for (p = lscsa->ls; p < lscsa->ls + LS_SIZE; p += PAGE_SIZE)
		SetPageReserved(vmalloc_to_page(p));
	return 0;
}

static void spu_free_lscsa(struct spu_state *csa)
{
	unsigned char *p;

	if (csa->lscsa == NULL)
		return;
	/* Clear reserved bit before vfree. */
	for (p = csa->lscsa->ls; p < csa->lscsa->ls + LS_SIZE; p += PAGE_SIZE)
		ClearPageReserved(vmalloc_to_page(p));
	vfree(csa->lscsa);
	csa->lscsa = NULL;
}

/* init_prob / init_priv2: a new context is stopped, with empty mailboxes (four free inbound
 * slots, a free outbound slot) and no signals. */
int spu_init_csa(struct spu_state *csa)
{
	int rc;

	if (!csa)
		return -EINVAL;
	memset(csa, 0, sizeof(struct spu_state));
	rc = spu_alloc_lscsa(csa);
	if (rc)
		return rc;
	spin_lock_init(&csa->register_lock);
	csa->spu_chnlcnt_RW[SPU_WrOutMbox] = 1;
	csa->prob.spu_runcntl_RW = SPU_RUNCNTL_STOP;
	csa->prob.mb_stat_R = 0x000400;
	return 0;
}

void spu_fini_csa(struct spu_state *csa)
{
	spu_free_lscsa(csa);
}

/* ---- Save ---- */

static void priv2_select(struct spu *spu, int channel)
{
	__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNTPTR, channel);
}

/* save_spu_runcntl, then stop it (do_spu_stop, wait_spu_stopped), and save_spu_status: a context
 * we stopped was running, and must be resumed by restore. */
static void save_spu_runcntl_and_status(struct spu_state *csa, struct spu *spu)
{
	struct spu_problem __iomem *prob = spu->problem;
	u32 status;

	csa->prob.spu_runcntl_RW = readl(&prob->spu_runcntl_RW);
	status = readl(&prob->spu_status_R);
	if (status & SPU_STATUS_RUNNING) {
		writel(SPU_RUNCNTL_STOP, &prob->spu_runcntl_RW);
		while (readl(&prob->spu_status_R) & SPU_STATUS_RUNNING)
			cond_resched();
		csa->prob.spu_status_R = SPU_STATUS_RUNNING;
	} else {
		csa->prob.spu_status_R = status;
	}
}

/* save_spu_npc */
static void save_spu_npc(struct spu_state *csa, struct spu *spu)
{
	csa->prob.spu_npc_RW = readl(&spu->problem->spu_npc_RW);
}

/* save_ppu_mb: the outbound (SPU to PPE) mailbox, read without emptying it (priv2 channel 28). */
static void save_ppu_mb(struct spu_state *csa, struct spu *spu)
{
	priv2_select(spu, SPU_WrOutMbox);
	csa->spu_chnlcnt_RW[SPU_WrOutMbox] = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLCNT);
	if (!csa->spu_chnlcnt_RW[SPU_WrOutMbox]) {
		csa->prob.pu_mb_R = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLDATA);
		csa->pu_mailbox_data[0] = csa->prob.pu_mb_R;
	}
	csa->prob.mb_stat_R = readl(&spu->problem->mb_stat_R);
}

/* save_spu_mb: the inbound mailbox's entries (priv2 channel 29), oldest first. */
static void save_spu_mb(struct spu_state *csa, struct spu *spu)
{
	int i, count;

	priv2_select(spu, SPU_RdInMbox);
	count = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLCNT);
	csa->spu_chnlcnt_RW[SPU_RdInMbox] = count;
	for (i = 0; i < count && i < 4; i++)
		csa->spu_mailbox_data[i] = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLDATA);
}

/* save_ch_part1 (the signal-notification channels), then reset them (reset_ch). */
static void save_ch_part1(struct spu_state *csa, struct spu *spu)
{
	int channels[2] = { SPU_RdSigNotify1, SPU_RdSigNotify2 };
	int i;

	for (i = 0; i < 2; i++) {
		priv2_select(spu, channels[i]);
		csa->spu_chnlcnt_RW[channels[i]] = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLCNT);
		csa->spu_chnldata_RW[channels[i]] = __spu_priv2_read(spu->number, SPU_PRIV2_CHNLDATA);
		__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNT, 0);
	}
	priv2_select(spu, SPU_WrOutMbox);
	__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNT, 1);
}

/* save_ls: the whole local store into the save area. */
static void save_ls(struct spu_state *csa, struct spu *spu)
{
	memcpy_fromio(csa->lscsa->ls, spu->local_store, LS_SIZE);
}

int spu_save(struct spu_state *prev, struct spu *spu)
{
	/* disable_interrupts: nothing of the outgoing context may reach spufs's callbacks. */
	spu_int_mask_set(spu, 2, 0);
	save_spu_runcntl_and_status(prev, spu);
	save_spu_npc(prev, spu);
	save_ppu_mb(prev, spu);
	save_spu_mb(prev, spu);
	save_ch_part1(prev, spu);
	save_ls(prev, spu);
	spu_int_stat_clear(spu, 2, ~0UL);
	return 0;
}

/* ---- Restore ---- */

/* restore_ls */
static void restore_ls(struct spu_state *csa, struct spu *spu)
{
	memcpy_toio(spu->local_store, csa->lscsa->ls, LS_SIZE);
}

/* restore_spu_npc: only while the SPU is stopped (it is: the previous context was saved). */
static void restore_spu_npc(struct spu_state *csa, struct spu *spu)
{
	writel(csa->prob.spu_npc_RW, &spu->problem->spu_npc_RW);
}

/* restore_spu_mb, restore_ppu_mb and the signal channels (restore_ch_part1/2). */
static void restore_channels(struct spu_state *csa, struct spu *spu)
{
	int channels[2] = { SPU_RdSigNotify1, SPU_RdSigNotify2 };
	int i;

	priv2_select(spu, SPU_RdInMbox);
	__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNT, 0);
	for (i = 0; i < (int)csa->spu_chnlcnt_RW[SPU_RdInMbox] && i < 4; i++)
		__spu_priv2_write(spu->number, SPU_PRIV2_CHNLDATA, csa->spu_mailbox_data[i]);
	priv2_select(spu, SPU_WrOutMbox);
	__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNT, 1);
	if (!csa->spu_chnlcnt_RW[SPU_WrOutMbox])
		__spu_priv2_write(spu->number, SPU_PRIV2_CHNLDATA, csa->pu_mailbox_data[0]);
	for (i = 0; i < 2; i++) {
		priv2_select(spu, channels[i]);
		__spu_priv2_write(spu->number, SPU_PRIV2_CHNLCNT, 0);
		if (csa->spu_chnlcnt_RW[channels[i]])
			__spu_priv2_write(spu->number, SPU_PRIV2_CHNLDATA, csa->spu_chnldata_RW[channels[i]]);
	}
}

/* restore_status_part2 / restore_spu_runcntl: resume a context that was running; re-create the
 * status (and stop code) of one that was stopped. */
static void restore_spu_runcntl(struct spu_state *csa, struct spu *spu)
{
	if (csa->prob.spu_status_R & SPU_STATUS_RUNNING) {
		writel(SPU_RUNCNTL_RUNNABLE, &spu->problem->spu_runcntl_RW);
	} else {
		__spu_priv2_write(spu->number, SPU_PRIV2_STATUS_RESTORE, csa->prob.spu_status_R);
		writel(SPU_RUNCNTL_STOP, &spu->problem->spu_runcntl_RW);
	}
}

int spu_restore(struct spu_state *new, struct spu *spu)
{
	/* The SPE is stopped and idle: whoever ran on it was saved (or nobody did). */
	writel(SPU_RUNCNTL_STOP, &spu->problem->spu_runcntl_RW);
	spu_int_stat_clear(spu, 2, ~0UL);
	restore_ls(new, spu);
	restore_spu_npc(new, spu);
	restore_channels(new, spu);
	/* enable_interrupts: stop and halt reach spufs's stop callback. */
	spu_int_mask_set(spu, 2, CLASS2_ENABLE_SPU_STOP_INTR | CLASS2_ENABLE_SPU_HALT_INTR);
	restore_spu_runcntl(new, spu);
	return 0;
}
