/* A test module for the spufs tests (test/unit/kernel/spu): forces SPU context switches the way a
 * scenario's harness task does (sim_spu_context_switch), either right now from the machine
 * (spu_test_switch_now: only when nothing it locks is held) or from a kernel thread of its own
 * that sleeps on contended locks like any task (spu_test_switch_start), and reports what the
 * switch thread saw. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>

long sim_spu_context_switch(int spe, const char *to);

static const char *const names[] = { NULL, "/spu/ctxA", "/spu/ctxB", "/spu/ctxC" };

/* What the last switch returned, and how many completed. */
long switch_result = 1;
int switches_done;

static int switch_spe;
static int switch_to;

static const char *name_of(int which)
{
	return which > 0 && which < (int)ARRAY_SIZE(names) ? names[which] : NULL;
}

long spu_test_switch_now(int spe, int which)
{
	switch_result = sim_spu_context_switch(spe, name_of(which));
	switches_done++;
	return switch_result;
}

static int switch_thread(void *unused)
{
	(void)unused;
	switch_result = sim_spu_context_switch(switch_spe, name_of(switch_to));
	switches_done++;
	return 0;
}

/* Starts a kernel thread "spu-switch" that forces the switch; its pid. */
long spu_test_switch_start(int spe, int which)
{
	struct task_struct *t;

	switch_spe = spe;
	switch_to = which;
	t = kthread_run(switch_thread, NULL, "spu-switch");
	return IS_ERR(t) ? PTR_ERR(t) : t->pid;
}

static int __init spu_harness_init(void)
{
	return 0;
}

module_init(spu_harness_init);
MODULE_LICENSE("GPL");
