/* <asm/spu_priv1.h>: the SPEs' privileged interrupt registers (priv1). Linux reaches them through
 * spu_priv1_ops: direct MMIO on a blade (spu_priv1_mmio.c), hypervisor calls on a PS3
 * (spu_manage.c); here they are the device model's __spu_priv1_* builtins (see <asm/spu.h>). Only
 * the spufs module may include this header: the builtins exist in its link alone. */
#ifndef _ASM_POWERPC_SPU_PRIV1_H
#define _ASM_POWERPC_SPU_PRIV1_H

#include <asm/spu.h>

static inline unsigned long spu_int_stat_get(struct spu *spu, int class)
{
	return __spu_priv1_int_stat_get(spu->number, class);
}

static inline void spu_int_stat_clear(struct spu *spu, int class, unsigned long stat)
{
	__spu_priv1_int_stat_clear(spu->number, class, stat);
}

static inline unsigned long spu_int_mask_get(struct spu *spu, int class)
{
	return __spu_priv1_int_mask_get(spu->number, class);
}

static inline void spu_int_mask_set(struct spu *spu, int class, unsigned long mask)
{
	__spu_priv1_int_mask_set(spu->number, class, mask);
}

static inline void spu_int_mask_or(struct spu *spu, int class, unsigned long mask)
{
	spu_int_mask_set(spu, class, spu_int_mask_get(spu, class) | mask);
}

static inline void spu_int_mask_and(struct spu *spu, int class, unsigned long mask)
{
	spu_int_mask_set(spu, class, spu_int_mask_get(spu, class) & mask);
}

#endif /* _ASM_POWERPC_SPU_PRIV1_H */
