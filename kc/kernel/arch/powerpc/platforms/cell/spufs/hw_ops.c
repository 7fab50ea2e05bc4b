/* spufs/hw_ops.c: a RUNNABLE context's registers are the SPE's: the problem-state area (readl /
 * writel on spu_base.c's ioremap, the device model's registers) and the local store mapping. Only
 * valid while the context is bound, which the state lock guarantees to every caller. */
#include <linux/kernel.h>
#include <asm/io.h>
#include "spufs.h"

static int spu_hw_mbox_read(struct spu_context *ctx, u32 *data)
{
	struct spu *spu = ctx->spu;
	struct spu_problem __iomem *prob = spu->problem;
	u32 mbox_stat;
	int ret = 0;

	spin_lock_irq(&spu->register_lock);
	mbox_stat = readl(&prob->mb_stat_R);
	if (mbox_stat & 0x0000ff) {
		*data = readl(&prob->pu_mb_R);
		ret = 4;
	}
	spin_unlock_irq(&spu->register_lock);
	return ret;
}

static u32 spu_hw_mbox_stat_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->mb_stat_R);
}

static int spu_hw_wbox_write(struct spu_context *ctx, u32 data)
{
	struct spu *spu = ctx->spu;
	struct spu_problem __iomem *prob = spu->problem;
	int ret;

	spin_lock_irq(&spu->register_lock);
	if (readl(&prob->mb_stat_R) & 0x00ff00) {
		/* we have space to write wbox_data to */
		writel(data, &prob->spu_mb_W);
		ret = 4;
	} else {
		ret = 0;
	}
	spin_unlock_irq(&spu->register_lock);
	return ret;
}

static u32 spu_hw_signal1_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->signal_notify1);
}

static void spu_hw_signal1_write(struct spu_context *ctx, u32 data)
{
	writel(data, &ctx->spu->problem->signal_notify1);
}

static u32 spu_hw_signal2_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->signal_notify2);
}

static void spu_hw_signal2_write(struct spu_context *ctx, u32 data)
{
	writel(data, &ctx->spu->problem->signal_notify2);
}

static u32 spu_hw_npc_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->spu_npc_RW);
}

static void spu_hw_npc_write(struct spu_context *ctx, u32 val)
{
	writel(val, &ctx->spu->problem->spu_npc_RW);
}

static u32 spu_hw_status_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->spu_status_R);
}

static char *spu_hw_get_ls(struct spu_context *ctx)
{
	return (char *)ctx->spu->local_store;
}

static u32 spu_hw_runcntl_read(struct spu_context *ctx)
{
	return readl(&ctx->spu->problem->spu_runcntl_RW);
}

static void spu_hw_runcntl_write(struct spu_context *ctx, u32 val)
{
	spin_lock_irq(&ctx->spu->register_lock);
	writel(val, &ctx->spu->problem->spu_runcntl_RW);
	spin_unlock_irq(&ctx->spu->register_lock);
}

const struct spu_context_ops spu_hw_ops = {
	.mbox_read = spu_hw_mbox_read,
	.mbox_stat_read = spu_hw_mbox_stat_read,
	.wbox_write = spu_hw_wbox_write,
	.signal1_read = spu_hw_signal1_read,
	.signal1_write = spu_hw_signal1_write,
	.signal2_read = spu_hw_signal2_read,
	.signal2_write = spu_hw_signal2_write,
	.npc_read = spu_hw_npc_read,
	.npc_write = spu_hw_npc_write,
	.status_read = spu_hw_status_read,
	.get_ls = spu_hw_get_ls,
	.runcntl_read = spu_hw_runcntl_read,
	.runcntl_write = spu_hw_runcntl_write,
};
