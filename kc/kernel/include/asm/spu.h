/* <asm/spu.h>: the Cell Broadband Engine's Synergistic Processor Units, as the kernel sees them
 * (arch/powerpc/include/asm/spu.h; include/asm-powerpc/spu.h before 2.6.27).
 *
 * Each SPE has a 256 KiB local store (LS) and a problem-state register area (struct spu_problem,
 * 128 KiB: MFC DMA, the control area with the mailboxes, run control, status and next program
 * counter, and the two signal-notification registers). Both are physical windows of the machine
 * (src/kernel/devices/spu: regions of kind 'spu-ls' and 'spu-ps'); spu_base.c maps them with
 * ioremap and reaches the registers with in_be32/out_be32-style volatile accesses (readl/writel:
 * the simulated machine is little-endian throughout, so the values are host order).
 *
 * The privileged facilities (priv1: interrupt status and masks; priv2: channel state that
 * save/restore needs) are hypervisor calls on a PS3 and registers on a blade; here they are the
 * device model's builtins __spu_priv1_* / __spu_priv2_* (what firmware does), and the device tree
 * ("spe" nodes: local-store, problem, interrupts) is the builtin __spu_firmware_*.
 *
 * Faultline runs powerpc's spufs on an x86-64 MMU: _PAGE_NO_CACHE maps to the x86 uncached type. */
#ifndef _ASM_POWERPC_SPU_H
#define _ASM_POWERPC_SPU_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <asm/pgtable_types.h>

#define LS_SIZE (256 * 1024)
#define LS_ADDR_MASK (LS_SIZE - 1)

#define SPUFS_MAGIC 0x23c9b64e

/* powerpc page attributes, as the x86 MMU of the simulated machine expresses them. */
#define _PAGE_NO_CACHE _PAGE_CACHE_UC
#define _PAGE_GUARDED 0

/* Problem-state area offsets (struct spu_problem). */
#define SPU_PROBLEM_SIZE 0x20000
#define SPU_PS_PU_MB_R 0x4004
#define SPU_PS_SPU_MB_W 0x400c
#define SPU_PS_MB_STAT_R 0x4014
#define SPU_PS_SPU_RUNCNTL_RW 0x401c
#define SPU_PS_SPU_STATUS_R 0x4024
#define SPU_PS_SPU_SPE_R 0x402c
#define SPU_PS_SPU_NPC_RW 0x4034
#define SPU_PS_SIGNAL_NOTIFY1 0x1400c
#define SPU_PS_SIGNAL_NOTIFY2 0x1c00c

struct spu_problem {
	u64 spc_mssync_RW;					/* 0x0000 */
	u8 pad_0x0008_0x4004[0x4004 - 0x0008];
	/* SPU Control Area */
	u32 pu_mb_R;						/* 0x4004 */
	u8 pad_0x4008_0x400c[0x4];
	u32 spu_mb_W;						/* 0x400c */
	u8 pad_0x4010_0x4014[0x4];
	u32 mb_stat_R;						/* 0x4014 */
	u8 pad_0x4018_0x401c[0x4];
	u32 spu_runcntl_RW;					/* 0x401c */
	u8 pad_0x4020_0x4024[0x4];
	u32 spu_status_R;					/* 0x4024 */
	u8 pad_0x4028_0x402c[0x4];
	u32 spu_spe_R;						/* 0x402c */
	u8 pad_0x4030_0x4034[0x4];
	u32 spu_npc_RW;						/* 0x4034 */
	u8 pad_0x4038_0x1400c[0x1400c - 0x4038];
	/* Signal Notification Area */
	u32 signal_notify1;					/* 0x1400c */
	u8 pad_0x14010_0x1c00c[0x1c00c - 0x14010];
	u32 signal_notify2;					/* 0x1c00c */
	u8 pad_0x1c010_0x20000[0x20000 - 0x1c010];
};

#define SPU_RUNCNTL_STOP 0L
#define SPU_RUNCNTL_RUNNABLE 1L
#define SPU_RUNCNTL_ISOLATE 2L

#define SPU_STOP_STATUS_SHIFT 16
#define SPU_STATUS_STOPPED 0x0
#define SPU_STATUS_RUNNING 0x1
#define SPU_STATUS_STOPPED_BY_STOP 0x2
#define SPU_STATUS_STOPPED_BY_HALT 0x4
#define SPU_STATUS_WAITING_FOR_CHANNEL 0x8
#define SPU_STATUS_SINGLE_STEP 0x10
#define SPU_STATUS_INVALID_INSTR 0x20
#define SPU_STATUS_INVALID_CH 0x40
#define SPU_STATUS_ISOLATED_STATE 0x80
#define SPU_STATUS_ISOLATED_LOAD_STATUS 0x200
#define SPU_STATUS_ISOLATED_EXIT_STATUS 0x400

/* spu_run(2) / spu_create(2) flags (the UAPI of <sys/spu.h>). */
#define SPU_CREATE_EVENTS_ENABLED 0x0001
#define SPU_CREATE_GANG 0x0002
#define SPU_CREATE_NOSCHED 0x0004
#define SPU_CREATE_ISOLATE 0x0008
#define SPU_CREATE_AFFINITY_SPU 0x0010
#define SPU_CREATE_AFFINITY_MEM 0x0020
#define SPU_CREATE_FLAG_ALL 0x003f

/* Class 2 interrupt status bits (priv1 int_stat_class2). */
#define CLASS2_MAILBOX_INTR 0x1
#define CLASS2_SPU_STOP_INTR 0x2
#define CLASS2_SPU_HALT_INTR 0x4
#define CLASS2_SPU_DMA_TAG_GROUP_COMPLETE_INTR 0x8
#define CLASS2_MAILBOX_THRESHOLD_INTR 0x10
#define CLASS2_ENABLE_MAILBOX_INTR 0x1
#define CLASS2_ENABLE_SPU_STOP_INTR 0x2
#define CLASS2_ENABLE_SPU_HALT_INTR 0x4

/* SPU channels (priv2 channel access, used by the context save/restore sequence). */
#define SPU_RdSigNotify1 3
#define SPU_RdSigNotify2 4
#define SPU_WrOutMbox 28
#define SPU_RdInMbox 29

/* priv2 registers the device model answers through __spu_priv2_read/_write. */
#define SPU_PRIV2_CHNLCNTPTR 0x4000	/* spu_chnlcntptr_RW: selects a channel */
#define SPU_PRIV2_CHNLCNT 0x4008	/* spu_chnlcnt_RW: its count */
#define SPU_PRIV2_CHNLDATA 0x4010	/* spu_chnldata_RW: its next datum (reads pop, writes push) */
#define SPU_PRIV2_STATUS_RESTORE 0x4018	/* the status (with stop code) a restored context resumes in */

enum spu_alloc_state {
	SPU_FREE,
	SPU_USED,
};

struct spu_context;

/* One physical SPE (arch/powerpc/platforms/cell/spu_base.c). */
struct spu {
	const char *name;
	unsigned long local_store_phys;
	u8 *local_store;		/* kernel mapping of the LS (ioremap; the linear map on 2.6.18) */
	unsigned long problem_phys;
	struct spu_problem *problem;	/* ioremap of the problem-state area */
	spinlock_t register_lock;
	int number;
	unsigned int irqs[3];
	char irq_c2[8];
	u32 node;
	unsigned long flags;
	enum spu_alloc_state alloc_state;
	struct list_head cbe_list;	/* on cbe_spu_info.spus */
	struct spu_context *ctx;	/* the bound context, or NULL */
	int pid;
	int tgid;
	unsigned long timestamp;	/* jiffies of the last bind/unbind */
	void (*wbox_callback)(struct spu *spu);
	void (*ibox_callback)(struct spu *spu);
	void (*stop_callback)(struct spu *spu, int irq);
	void (*mfc_callback)(struct spu *spu);
	struct {
		unsigned long long class2_intr;
		unsigned long long invol_ctx_switch;
	} stats;
};

/* Every SPE the firmware reports, in order (spu_base.c). */
struct cbe_spu_info {
	struct mutex list_mutex;
	struct list_head spus;
	int n_spus;
	int nr_active;
};
extern struct cbe_spu_info cbe_spu_info[1];
#define MAX_NUMNODES 1

/* spu_base.c */
struct spu *spu_alloc_spu(int number);
int spu_enumerate_spus(void);
void spu_unmap_all(void);

/* The firmware (device tree) and hypervisor interfaces of the SPEs: device-model builtins. */
int __spu_firmware_count(void);
unsigned long __spu_firmware_local_store(int spe);
unsigned long __spu_firmware_problem(int spe);
unsigned int __spu_firmware_irq(int spe, int class);
unsigned long __spu_priv1_int_stat_get(int spe, int class);
void __spu_priv1_int_stat_clear(int spe, int class, unsigned long stat);
unsigned long __spu_priv1_int_mask_get(int spe, int class);
void __spu_priv1_int_mask_set(int spe, int class, unsigned long mask);
unsigned long __spu_priv2_read(int spe, unsigned long reg);
void __spu_priv2_write(int spe, unsigned long reg, unsigned long value);
/* spu_switch_notify's listener (OProfile, sputrace; here the device model's view and trace):
 * `bind` is 1 when context `ctx_id` was restored onto `spe`, 0 when saved from it, 2 when created,
 * -1 when destroyed. */
void __spu_switch_notify(int spe, int ctx_id, const char *name, int bind);

/* The spufs module's system calls, reached through spu_syscalls.c (built in). */
struct file;
struct path;
struct dentry;
struct spufs_calls {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
	long (*create_thread)(const char *name, unsigned int flags, umode_t mode, struct file *neighbor);
#else
	long (*create_thread)(const char *name, unsigned int flags, umode_t mode);
#endif
	long (*spu_run)(struct file *filp, u32 *unpc, u32 *ustatus);
	struct module *owner;
};

int register_spu_syscalls(struct spufs_calls *calls);
void unregister_spu_syscalls(struct spufs_calls *calls);

#endif /* _ASM_POWERPC_SPU_H */
