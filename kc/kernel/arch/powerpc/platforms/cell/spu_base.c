/* arch/powerpc/platforms/cell/spu_base.c: the physical SPEs: finding them in the firmware's device
 * tree, mapping their local stores and problem-state areas, and their class 2 interrupt (stop,
 * halt, mailbox), whose handler calls back into spufs (the bound context's stop_wq).
 *
 * Linux builds this into the kernel and spufs is a module on top; Faultline links both into the
 * spufs module (kernel-tree paths kept), so spu_enumerate_spus() runs from spufs_init.
 *
 * 2.6.18: the local store and the problem-state area were hot-added as memory (cell_spuprop_present
 * -> __add_pages) so that spufs's ->nopage could return a struct page for them; this is why
 * pfn_valid() is true for them on that profile, and why get_user_pages could hand ptrace a page of
 * an SPE's local store (kernel-semantics.md 1 and 3.3). The kernel reaches such a page through
 * page_address(): powerpc's hash MMU maps the linear region on demand, x86 needs PTEs, which
 * spu_linear_map() makes (arch_add_memory's create_section_mapping). From 2.6.21 (78bde53e351)
 * there are no struct pages: spufs maps PFNs. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#include <asm/io.h>
#include <asm/spu.h>
#include <asm/spu_priv1.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
#include <linux/memory_hotplug.h>
#endif

struct cbe_spu_info cbe_spu_info[MAX_NUMNODES];

/*
 * The class 2 interrupt: acknowledge what the mask lets through, then tell the bound context
 * (spufs's callbacks; they are NULL while no context is bound and the interrupt is then dropped,
 * as the context switch code re-creates its state).
 */
static irqreturn_t spu_irq_class_2(int irq, void *data)
{
	struct spu *spu = data;
	unsigned long stat, mask;

	(void)irq;
	spin_lock(&spu->register_lock);
	stat = spu_int_stat_get(spu, 2);
	mask = spu_int_mask_get(spu, 2);
	/* ignore interrupts we're not waiting for */
	stat &= mask;
	/* mailbox interrupts are level triggered: mask them now before acknowledging */
	if (stat & CLASS2_MAILBOX_INTR)
		spu_int_mask_and(spu, 2, ~(stat & CLASS2_MAILBOX_INTR));
	/* acknowledge all interrupts before the callbacks */
	spu_int_stat_clear(spu, 2, stat);
	spin_unlock(&spu->register_lock);

	if ((stat & CLASS2_MAILBOX_INTR) && spu->ibox_callback)
		spu->ibox_callback(spu);
	if ((stat & (CLASS2_SPU_STOP_INTR | CLASS2_SPU_HALT_INTR)) && spu->stop_callback)
		spu->stop_callback(spu, 2);
	spu->stats.class2_intr++;
	return stat ? IRQ_HANDLED : IRQ_NONE;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
/* 2.6.18's cell_spuprop_present: make [phys, phys + len) memory with struct pages (they stay
 * PG_reserved: spu_base never onlines them), and give it the linear mapping page_address() uses. */
static int cell_spuprop_present(unsigned long phys, unsigned long len)
{
	static DEFINE_MUTEX(add_spumem_mutex);
	unsigned long start_pfn = phys >> PAGE_SHIFT;
	unsigned long nr_pages = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct page **pages;
	unsigned long i;
	int ret;

	/* XXX rethink locking here */
	mutex_lock(&add_spumem_mutex);
	ret = __add_pages(page_zone(mem_map), start_pfn, nr_pages);
	mutex_unlock(&add_spumem_mutex);
	if (ret)
		return ret;
	pages = kmalloc(nr_pages * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < nr_pages; i++)
		pages[i] = pfn_to_page(start_pfn + i);
	ret = vmap_pages_range((unsigned long)__va(phys), (unsigned long)__va(phys) + nr_pages * PAGE_SIZE,
			       __pgprot((__PAGE_KERNEL & ~_PAGE_CACHE_MASK) | _PAGE_NO_CACHE), pages);
	kfree(pages);
	return ret;
}
#endif

static int spu_map_device(struct spu *spu)
{
	spu->local_store_phys = __spu_firmware_local_store(spu->number);
	spu->problem_phys = __spu_firmware_problem(spu->number);
	if (!spu->local_store_phys || !spu->problem_phys)
		return -ENODEV;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
	{
		int err = cell_spuprop_present(spu->local_store_phys, LS_SIZE);

		if (!err)
			err = cell_spuprop_present(spu->problem_phys, sizeof(struct spu_problem));
		if (err && err != -EEXIST)
			return err;
	}
#endif
	/* we use local store as ram, not io memory */
	spu->local_store = (u8 *)ioremap(spu->local_store_phys, LS_SIZE);
	if (!spu->local_store)
		return -ENOMEM;
	spu->problem = ioremap(spu->problem_phys, sizeof(struct spu_problem));
	if (!spu->problem) {
		iounmap(spu->local_store);
		return -ENOMEM;
	}
	return 0;
}

static void spu_unmap(struct spu *spu)
{
	iounmap(spu->problem);
	iounmap(spu->local_store);
}

/* The SPE numbered `number`, mapped and with its class 2 interrupt requested, or an ERR_PTR. */
struct spu *spu_alloc_spu(int number)
{
	struct spu *spu = kzalloc(sizeof(*spu), GFP_KERNEL);
	int ret;

	if (!spu)
		return ERR_PTR(-ENOMEM);
	spu->number = number;
	spu->name = "spe";
	spu->node = 0;
	spu->alloc_state = SPU_FREE;
	spin_lock_init(&spu->register_lock);
	INIT_LIST_HEAD(&spu->cbe_list);
	ret = spu_map_device(spu);
	if (ret)
		goto out_free;
	/* Everything masked until a context is restored onto it (switch.c). */
	spu_int_mask_set(spu, 2, 0);
	spu_int_stat_clear(spu, 2, ~0UL);
	spu->irqs[2] = __spu_firmware_irq(number, 2);
	snprintf(spu->irq_c2, sizeof(spu->irq_c2), "spe%02d.2", number);
	ret = request_irq(spu->irqs[2], spu_irq_class_2, 0, spu->irq_c2, spu);
	if (ret)
		goto out_unmap;
	return spu;
out_unmap:
	spu_unmap(spu);
out_free:
	kfree(spu);
	return ERR_PTR(ret);
}

/* Finds every SPE the firmware reports; the number found, or -errno. */
int spu_enumerate_spus(void)
{
	int i, n = __spu_firmware_count();

	mutex_init(&cbe_spu_info[0].list_mutex);
	INIT_LIST_HEAD(&cbe_spu_info[0].spus);
	cbe_spu_info[0].n_spus = 0;
	cbe_spu_info[0].nr_active = 0;
	for (i = 0; i < n; i++) {
		struct spu *spu = spu_alloc_spu(i);

		if (IS_ERR(spu)) {
			printk(KERN_ERR "spu_base: SPE %d: %ld\n", i, PTR_ERR(spu));
			return PTR_ERR(spu);
		}
		mutex_lock(&cbe_spu_info[0].list_mutex);
		list_add_tail(&spu->cbe_list, &cbe_spu_info[0].spus);
		cbe_spu_info[0].n_spus++;
		mutex_unlock(&cbe_spu_info[0].list_mutex);
	}
	printk(KERN_INFO "spu_base: %d SPE%s\n", cbe_spu_info[0].n_spus, cbe_spu_info[0].n_spus == 1 ? "" : "s");
	return cbe_spu_info[0].n_spus;
}

void spu_unmap_all(void)
{
	struct spu *spu, *tmp;

	list_for_each_entry_safe(spu, tmp, &cbe_spu_info[0].spus, cbe_list) {
		free_irq(spu->irqs[2], spu);
		spu_unmap(spu);
		list_del(&spu->cbe_list);
		kfree(spu);
	}
	cbe_spu_info[0].n_spus = 0;
}
