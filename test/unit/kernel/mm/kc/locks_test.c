/* KC side of the lock builtin tests: functions that take locks in known orders, stopping at
 * probe points that the TypeScript test controls. */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/gfp.h>

/* A builtin of the test: records the step, or blocks while the test holds the gate closed. */
void probe(int step);

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static DEFINE_SPINLOCK(spin_s);
static DECLARE_RWSEM(sem_r);

void *test_lock_address(int which)
{
	switch (which) {
	case 0:
		return &lock_a;
	case 1:
		return &lock_b;
	case 2:
		return &spin_s;
	default:
		return &sem_r;
	}
}

void test_ab(void)
{
	mutex_lock(&lock_a);
	probe(1);
	mutex_lock(&lock_b);
	probe(2);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
}

void test_ba(void)
{
	mutex_lock(&lock_b);
	probe(3);
	mutex_lock(&lock_a);
	probe(4);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

void test_spin_hold(void)
{
	spin_lock(&spin_s);
	probe(5);
	spin_unlock(&spin_s);
}

int test_spin_trylock(void)
{
	int got = spin_trylock(&spin_s);

	if (got)
		spin_unlock(&spin_s);
	return got;
}

void test_read_hold(void)
{
	down_read(&sem_r);
	probe(6);
	up_read(&sem_r);
}

void test_write_hold(void)
{
	down_write(&sem_r);
	probe(7);
	up_write(&sem_r);
}

void test_sleep_in_atomic(void)
{
	void *p;

	spin_lock(&spin_s);
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	spin_unlock(&spin_s);
}

void test_double_unlock(void)
{
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_a);
}

/* Frees memory holding a lock that is still held. */
void test_free_held(void)
{
	spinlock_t *l = kmalloc(sizeof(*l), GFP_KERNEL);

	spin_lock_init(l);
	spin_lock(l);
	kfree(l);
}

/* Initialises a lock in fresh memory, uses it and frees it: the lock object goes with the memory. */
int test_lock_lifetime(void)
{
	struct mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);
	int count;

	mutex_init(m);
	mutex_lock(m);
	count = atomic_read(&m->count);
	mutex_unlock(m);
	kfree(m);
	return count;
}

int test_bug_on(int x)
{
	BUG_ON(x > 3);
	return x;
}

int test_warn_on(int x)
{
	return WARN_ON(x != 0);
}

void test_printk(void)
{
	printk(KERN_INFO "hello %d %s\n", 42, "kc");
	pr_err("err %#lx\n", 0x10UL);
	printk("no level, ");
	printk(KERN_CONT "continued\n");
}
