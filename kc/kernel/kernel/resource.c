/* kernel/resource.c: the physical resource tree (iomem_resource, ioport_resource).
 *
 * See <linux/ioport.h>. The tree is changed and walked under resource_lock (an rwlock_t in Linux;
 * KC has no rwlock_t, so readers and writers both take this spinlock). Invariants: children lie
 * inside their parent, siblings are sorted by start and never overlap; a busy resource has no
 * children that drivers requested after it (requests nest under non-busy ones only).
 *
 * Eras: 2.6.18 claims regions and nothing more. 2.6.27 adds iomem_is_exclusive for /dev/mem's
 * STRICT_DEVMEM. From 5.8 (kernel-semantics.md 6, "Revocation") every /dev/mem open maps through
 * one address_space (iomem_get_mapping, an inode of the "iomem" pseudo file system), and a new
 * busy claim that devmem_is_allowed no longer permits zaps that range from every process's
 * /dev/mem mapping (revoke_iomem: unmap_mapping_range, no mmap_lock).
 *
 * Faultline runs no initcalls: the boot-time registration of System RAM (e820) and the iomem
 * inode (fs_initcall) happen on first use (resource_init_once), before resource_lock is taken. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/err.h>
#include <linux/printk.h>
#include <asm/page.h>

struct resource ioport_resource = {
	.name = "PCI IO",
	.start = 0,
	.end = 0xffff,
	.flags = IORESOURCE_IO,
};

struct resource iomem_resource = {
	.name = "PCI mem",
	.start = 0,
	.end = (1UL << 52) - 1,		/* the physical address width (x86-64: 52 bits) */
	.flags = IORESOURCE_MEM,
};

static DEFINE_SPINLOCK(resource_lock);

/* ---- boot: e820 ---- */

/* The machine's RAM as e820 reports it: [0, low) and, above the PCI hole, [4 GiB, ...). Faultline's
 * machine has one low range up to 3 GiB; mem_map covers the RAM the kernel manages. */
#define E820_LOW_RAM_LIMIT 0xc0000000UL
#define E820_HIGH_RAM_BASE 0x100000000UL

static struct resource e820_ram[2];
static bool e820_done;

void e820__reserve_resources(void)
{
	unsigned long ram_end = PFN_PHYS(max_mapnr);
	unsigned long low = min(ram_end, E820_LOW_RAM_LIMIT);

	if (e820_done || !max_mapnr)
		return;
	e820_done = true;
	e820_ram[0].name = "System RAM";
	e820_ram[0].start = 0;
	e820_ram[0].end = low - 1;
	e820_ram[0].flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	insert_resource(&iomem_resource, &e820_ram[0]);
	if (ram_end > E820_LOW_RAM_LIMIT) {
		e820_ram[1].name = "System RAM";
		e820_ram[1].start = E820_HIGH_RAM_BASE;
		e820_ram[1].end = E820_HIGH_RAM_BASE + (ram_end - E820_LOW_RAM_LIMIT) - 1;
		e820_ram[1].flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
		insert_resource(&iomem_resource, &e820_ram[1]);
	}
}

/* ---- the iomem inode (5.8+) ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define DEVMEM_MAGIC 0x454d444d /* "DMEM" */

static struct inode *iomem_inode;

static int iomem_fs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	(void)data;
	(void)silent;
	sb->s_magic = DEVMEM_MAGIC;
	root = new_inode(sb);
	if (!root)
		return -ENOMEM;
	root->i_ino = get_next_ino();
	root->i_mode = S_IFDIR | 0755;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *iomem_fs_mount(struct file_system_type *fs_type, int flags, const char *name, void *data)
{
	(void)name;
	return mount_nodev(fs_type, flags, data, iomem_fs_fill_super);
}

static struct file_system_type iomem_fs_type = {
	.name = "iomem",
	.mount = iomem_fs_mount,
	.kill_sb = kill_anon_super,
};

/* fs_initcall(iomem_init_inode): the inode whose mapping every /dev/mem open shares. */
static int iomem_init_inode(void)
{
	struct vfsmount *mnt;
	struct inode *inode;
	int rc;

	rc = register_filesystem(&iomem_fs_type);
	if (rc)
		return rc;
	mnt = kern_mount(&iomem_fs_type);
	if (IS_ERR(mnt)) {
		pr_err("Cannot mount iomem pseudo filesystem: %ld\n", PTR_ERR(mnt));
		return (int)PTR_ERR(mnt);
	}
	inode = new_inode(mnt->mnt_sb);
	if (!inode) {
		pr_err("Cannot allocate inode for iomem: %d\n", -ENOMEM);
		return -ENOMEM;
	}
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	/* Published last: revoke_iomem does nothing before (pairs with its read). */
	smp_wmb();
	iomem_inode = inode;
	return 0;
}

struct address_space *iomem_get_mapping(void)
{
	e820__reserve_resources();
	if (!iomem_inode && iomem_init_inode())
		return NULL;
	return iomem_inode->i_mapping;
}
#endif

/* First use: what the boot and the initcalls would have done. Never under resource_lock. */
static void resource_init_once(void)
{
	e820__reserve_resources();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	if (!iomem_inode)
		iomem_init_inode();
#endif
}

/* ---- the tree ---- */

/* Links `new` under `root` unless it conflicts: NULL, or the conflicting resource (root itself
 * when `new` is not inside it). */
static struct resource *__request_resource(struct resource *root, struct resource *new)
{
	resource_size_t start = new->start;
	resource_size_t end = new->end;
	struct resource *tmp, **p;

	if (end < start)
		return root;
	if (start < root->start)
		return root;
	if (end > root->end)
		return root;
	p = &root->child;
	for (;;) {
		tmp = *p;
		if (!tmp || tmp->start > end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			return NULL;
		}
		p = &tmp->sibling;
		if (tmp->end < start)
			continue;
		return tmp;
	}
}

/* Unlinks `old`; its children move up to its parent unless `release_child`. */
static int __release_resource(struct resource *old, bool release_child)
{
	struct resource *tmp, **p, *chd;

	p = &old->parent->child;
	for (;;) {
		tmp = *p;
		if (!tmp)
			break;
		if (tmp == old) {
			if (release_child || !(tmp->child)) {
				*p = tmp->sibling;
			} else {
				for (chd = tmp->child;; chd = chd->sibling) {
					chd->parent = tmp->parent;
					if (!(chd->sibling))
						break;
				}
				*p = tmp->child;
				chd->sibling = tmp->sibling;
			}
			old->parent = NULL;
			return 0;
		}
		p = &tmp->sibling;
	}
	return -EINVAL;
}

int request_resource(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	spin_lock(&resource_lock);
	conflict = __request_resource(root, new);
	spin_unlock(&resource_lock);
	return conflict ? -EBUSY : 0;
}

int release_resource(struct resource *old)
{
	int retval;

	spin_lock(&resource_lock);
	retval = __release_resource(old, true);
	spin_unlock(&resource_lock);
	return retval;
}

/* Inserts `new` where it fits, making the resources it fully covers its children. */
static struct resource *__insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *first, *next;

	for (;; parent = first) {
		first = __request_resource(parent, new);
		if (!first)
			return first;
		if (first == parent)
			return first;
		if (WARN_ON(first == new))	/* duplicated insertion */
			return first;
		if ((first->start > new->start) || (first->end < new->end))
			break;
		if ((first->start == new->start) && (first->end == new->end))
			break;
	}
	for (next = first;; next = next->sibling) {
		/* Partial overlap? Bad, and unfixable. */
		if (next->start < new->start || next->end > new->end)
			return next;
		if (!next->sibling)
			break;
		if (next->sibling->start > new->end)
			break;
	}
	new->parent = parent;
	new->sibling = next->sibling;
	new->child = first;
	next->sibling = NULL;
	for (next = first; next; next = next->sibling)
		next->parent = new;
	if (parent->child == first) {
		parent->child = new;
	} else {
		next = parent->child;
		while (next->sibling != first)
			next = next->sibling;
		next->sibling = new;
	}
	return NULL;
}

int insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *conflict;

	spin_lock(&resource_lock);
	conflict = __insert_resource(parent, new);
	spin_unlock(&resource_lock);
	return conflict ? -EBUSY : 0;
}

/* ---- /dev/mem's view ---- */

static int __region_intersects(struct resource *parent, resource_size_t start, size_t size, unsigned long flags,
			       unsigned long desc)
{
	struct resource res;
	int type = 0;
	int other = 0;
	struct resource *p;

	res.start = start;
	res.end = start + size - 1;
	for (p = parent->child; p; p = p->sibling) {
		bool is_type = (((p->flags & flags) == flags) && ((desc == IORES_DESC_NONE) || (desc == p->desc)));

		if (resource_overlaps(p, &res)) {
			if (is_type)
				type++;
			else
				other++;
		}
	}
	if (type == 0)
		return REGION_DISJOINT;
	if (other == 0)
		return REGION_INTERSECTS;
	return REGION_MIXED;
}

int region_intersects(resource_size_t start, size_t size, unsigned long flags, unsigned long desc)
{
	int ret;

	resource_init_once();
	spin_lock(&resource_lock);
	ret = __region_intersects(&iomem_resource, start, size, flags, desc);
	spin_unlock(&resource_lock);
	return ret;
}

int page_is_ram(unsigned long pfn)
{
	return region_intersects(PFN_PHYS(pfn), PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) != REGION_DISJOINT;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* The resource tree walk of for_each_resource: depth first, skipping subtrees on request. */
static struct resource *next_resource(struct resource *p, bool skip_children)
{
	if (!skip_children && p->child)
		return p->child;
	while (!p->sibling && p->parent)
		p = p->parent;
	return p->sibling;
}

/* "iomem=relaxed" clears it; Faultline has no command line. */
#ifdef CONFIG_STRICT_DEVMEM
static int strict_iomem_checks = 1;
#else
static int strict_iomem_checks;
#endif

static bool resource_is_exclusive(struct resource *root, u64 addr, resource_size_t size)
{
	const unsigned long exclusive_system_ram = IORESOURCE_SYSTEM_RAM | IORESOURCE_EXCLUSIVE;
	bool skip_children = false, err = false;
	struct resource *p;

	spin_lock(&resource_lock);
	for (p = root->child; p; p = next_resource(p, skip_children)) {
		if (p->start >= addr + size)
			break;
		if (p->end < addr) {
			skip_children = true;
			continue;
		}
		skip_children = false;
		/* System RAM marked exclusive is exclusive even when not busy, even "relaxed". */
		if ((p->flags & exclusive_system_ram) == exclusive_system_ram) {
			err = true;
			break;
		}
		/* Exclusive: IORESOURCE_EXCLUSIVE, or busy under CONFIG_IO_STRICT_DEVMEM. */
		if (!strict_iomem_checks || !(p->flags & IORESOURCE_BUSY))
			continue;
#ifdef CONFIG_IO_STRICT_DEVMEM
		err = true;
		break;
#else
		if (p->flags & IORESOURCE_EXCLUSIVE) {
			err = true;
			break;
		}
#endif
	}
	spin_unlock(&resource_lock);
	return err;
}

bool iomem_is_exclusive(u64 addr)
{
	resource_init_once();
	return resource_is_exclusive(&iomem_resource, addr & PAGE_MASK, PAGE_SIZE);
}
#endif

/* ---- drivers' claims ---- */

static int __request_region_locked(struct resource *res, struct resource *parent, resource_size_t start,
				   resource_size_t n, const char *name, int flags)
{
	res->name = name;
	res->start = start;
	res->end = start + n - 1;
	for (;;) {
		struct resource *conflict;

		res->flags = resource_type(parent) | resource_ext_type(parent);
		res->flags |= IORESOURCE_BUSY | (unsigned long)(unsigned int)flags;
		res->desc = parent->desc;
		conflict = __request_resource(parent, res);
		if (!conflict)
			break;
		/* Nest inside a resource that is not busy (a PCI BAR under its bridge). */
		if (conflict != parent) {
			if (!(conflict->flags & IORESOURCE_BUSY)) {
				parent = conflict;
				continue;
			}
		}
		/* Uhhuh, that didn't work out.. */
		return -EBUSY;
	}
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
/* A driver now owns `res`: zap it out of every /dev/mem mapping, unless /dev/mem may still map
 * both ends of it ("what's the worst that can happen?"). Takes no mmap_lock. */
static void revoke_iomem(struct resource *res)
{
	struct inode *inode = READ_ONCE(iomem_inode);

	if (!inode)
		return;
	if (devmem_is_allowed(PHYS_PFN(res->start)) && devmem_is_allowed(PHYS_PFN(res->end)))
		return;
	unmap_mapping_range(inode->i_mapping, (loff_t)res->start, (loff_t)resource_size(res), 1);
}
#endif

struct resource *__request_region(struct resource *parent, resource_size_t start, resource_size_t n,
				  const char *name, int flags)
{
	struct resource *res = kzalloc(sizeof(*res), GFP_KERNEL);
	int ret;

	if (!res)
		return NULL;
	resource_init_once();
	spin_lock(&resource_lock);
	ret = __request_region_locked(res, parent, start, n, name, flags);
	spin_unlock(&resource_lock);
	if (ret) {
		kfree(res);
		return NULL;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	if (parent == &iomem_resource)
		revoke_iomem(res);
#endif
	return res;
}

void __release_region(struct resource *parent, resource_size_t start, resource_size_t n)
{
	struct resource **p;
	resource_size_t end;

	p = &parent->child;
	end = start + n - 1;
	spin_lock(&resource_lock);
	for (;;) {
		struct resource *res = *p;

		if (!res)
			break;
		if (res->start <= start && res->end >= end) {
			if (!(res->flags & IORESOURCE_BUSY)) {
				p = &res->child;
				continue;
			}
			if (res->start != start || res->end != end)
				break;
			*p = res->sibling;
			spin_unlock(&resource_lock);
			kfree(res);
			return;
		}
		p = &res->sibling;
	}
	spin_unlock(&resource_lock);
	printk(KERN_WARNING "Trying to free nonexistent resource <%016llx-%016llx>\n",
	       (unsigned long long)start, (unsigned long long)end);
}
