/* <linux/ioport.h>: the tree of physical resources (kernel/resource.c), iomem_resource.
 *
 * A resource is a closed range [start, end] with flags; children nest inside their parent and
 * siblings are sorted and disjoint. The boot registers "System RAM" (e820); the PCI core inserts
 * each BAR (not busy); a driver's request_mem_region adds a busy child ("the driver owns it").
 * /dev/mem consults the tree: System RAM and (with CONFIG_IO_STRICT_DEVMEM) busy ranges are
 * exclusive (iomem_is_exclusive), and from 5.8 a new busy claim revokes /dev/mem mappings of the
 * range (revoke_iomem, kernel-semantics.md 6). Era features: iomem_is_exclusive 2.6.27+,
 * region_intersects and iomem_get_mapping 6.8. */
#ifndef _LINUX_IOPORT_H
#define _LINUX_IOPORT_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/kernel.h>

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

#define IORESOURCE_BITS 0x000000ff
#define IORESOURCE_TYPE_BITS 0x00001f00
#define IORESOURCE_IO 0x00000100
#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_REG 0x00000300
#define IORESOURCE_IRQ 0x00000400
#define IORESOURCE_DMA 0x00000800
#define IORESOURCE_BUS 0x00001000
#define IORESOURCE_PREFETCH 0x00002000
#define IORESOURCE_READONLY 0x00004000
#define IORESOURCE_CACHEABLE 0x00008000
#define IORESOURCE_MEM_64 0x00100000
#define IORESOURCE_WINDOW 0x00200000
#define IORESOURCE_MUXED 0x00400000
#define IORESOURCE_EXT_TYPE_BITS 0x01000000
#define IORESOURCE_SYSRAM 0x01000000
#define IORESOURCE_EXCLUSIVE 0x08000000	/* userland may not map this resource */
#define IORESOURCE_DISABLED 0x10000000
#define IORESOURCE_UNSET 0x20000000
#define IORESOURCE_AUTO 0x40000000
#define IORESOURCE_BUSY 0x80000000	/* a driver has marked this resource busy */

#define IORESOURCE_SYSTEM_RAM (IORESOURCE_MEM | IORESOURCE_SYSRAM)

/* Resource descriptors (6.8 enum). */
enum {
	IORES_DESC_NONE = 0,
	IORES_DESC_CRASH_KERNEL = 1,
	IORES_DESC_ACPI_TABLES = 2,
	IORES_DESC_ACPI_NV_STORAGE = 3,
	IORES_DESC_PERSISTENT_MEMORY = 4,
	IORES_DESC_PERSISTENT_MEMORY_LEGACY = 5,
	IORES_DESC_DEVICE_PRIVATE_MEMORY = 6,
	IORES_DESC_RESERVED = 7,
	IORES_DESC_SOFT_RESERVED = 8,
	IORES_DESC_CXL = 9,
};

/* region_intersects answers. */
enum {
	REGION_INTERSECTS,
	REGION_DISJOINT,
	REGION_MIXED,
};

#define DEFINE_RES_NAMED(_start, _size, _name, _flags) \
	{ .start = (_start), .end = (_start) + (_size) - 1, .name = (_name), .flags = (_flags), .desc = IORES_DESC_NONE }
#define DEFINE_RES_MEM_NAMED(_start, _size, _name) DEFINE_RES_NAMED((_start), (_size), (_name), IORESOURCE_MEM)
#define DEFINE_RES_MEM(_start, _size) DEFINE_RES_MEM_NAMED((_start), (_size), NULL)

extern struct resource ioport_resource;
extern struct resource iomem_resource;

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

static inline unsigned long resource_ext_type(const struct resource *res)
{
	return res->flags & IORESOURCE_EXT_TYPE_BITS;
}

static inline bool resource_contains(struct resource *r1, struct resource *r2)
{
	if (resource_type(r1) != resource_type(r2))
		return false;
	if (r1->flags & IORESOURCE_UNSET || r2->flags & IORESOURCE_UNSET)
		return false;
	return r1->start <= r2->start && r1->end >= r2->end;
}

static inline bool resource_overlaps(struct resource *r1, struct resource *r2)
{
	return r1->start <= r2->end && r1->end >= r2->start;
}

/* 0, or -EBUSY when `new` conflicts with a child of `root`. */
int request_resource(struct resource *root, struct resource *new);
int release_resource(struct resource *new);
/* Inserts `new` into the tree, adopting the existing resources it covers: 0 or -EBUSY. */
int insert_resource(struct resource *parent, struct resource *new);

/* Claims [start, start + n) busy under `parent` for `name`: the new resource, or NULL on conflict.
 * Under iomem_resource (5.8+) this revokes /dev/mem mappings of the range. */
struct resource *__request_region(struct resource *parent, resource_size_t start, resource_size_t n,
				  const char *name, int flags);
void __release_region(struct resource *parent, resource_size_t start, resource_size_t n);

#define request_region(start, n, name) __request_region(&ioport_resource, (start), (n), (name), 0)
#define request_mem_region(start, n, name) __request_region(&iomem_resource, (start), (n), (name), 0)
#define request_mem_region_exclusive(start, n, name) \
	__request_region(&iomem_resource, (start), (n), (name), IORESOURCE_EXCLUSIVE)
#define release_region(start, n) __release_region(&ioport_resource, (start), (n))
#define release_mem_region(start, n) __release_region(&iomem_resource, (start), (n))

/* REGION_DISJOINT, REGION_INTERSECTS (only resources with `flags`/`desc`) or REGION_MIXED. */
int region_intersects(resource_size_t start, size_t size, unsigned long flags, unsigned long desc);
/* 1 when the page at `addr` is System RAM (page_is_ram, by PFN). */
int page_is_ram(unsigned long pfn);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* Userland may not map the page at `addr` (IORESOURCE_EXCLUSIVE, or busy under IO_STRICT_DEVMEM). */
bool iomem_is_exclusive(u64 addr);
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
struct address_space;
/* The one address_space every /dev/mem open maps through (file offset = physical address), so
 * that revoke_iomem can zap all of them at once. */
struct address_space *iomem_get_mapping(void);
#endif

/* Boot (setup_arch's e820__reserve_resources): registers System RAM. Idempotent; resource.c also
 * calls it on first use, since the KC kernel runs no initcalls. */
void e820__reserve_resources(void);

/* arch/x86/mm/init.c (2.6.27+ STRICT_DEVMEM): 0 refused, 1 allowed, 2 allowed but read() shows zeros. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
int devmem_is_allowed(unsigned long pagenr);
#endif

#endif /* _LINUX_IOPORT_H */
