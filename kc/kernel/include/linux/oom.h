/* <linux/oom.h>: the OOM killer (mm/oom_kill.c). */
#ifndef _LINUX_OOM_H
#define _LINUX_OOM_H

#include <linux/types.h>

/* The page allocator could not satisfy a blocking allocation: kill the process with the largest
 * resident set (unless a victim is already on its way out). Returns 1 when memory may come back
 * (a victim was killed or is exiting), 0 when there is nobody to kill. */
int out_of_memory(gfp_t gfp_mask, unsigned int order);
/* A fault returned VM_FAULT_OOM to the arch handler (6.8 semantics: the allocator already ran the
 * OOM killer; the fault retries unless the faulter itself is dying). */
void pagefault_out_of_memory(void);

#endif /* _LINUX_OOM_H */
