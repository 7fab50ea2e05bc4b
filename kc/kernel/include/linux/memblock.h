/* <linux/memblock.h>: the boot-time physical memory allocator (mm/memblock.c).
 *
 * Before the buddy allocator exists, the kernel knows RAM as a short list of physical ranges
 * (registered by the machine's firmware map, e820 on a PC) and allocates from it top-down,
 * recording each allocation as reserved. mem_init() then hands every unreserved frame to the buddy
 * allocator; reserved frames (the kernel image, mem_map itself) stay PG_reserved forever. */
#ifndef _LINUX_MEMBLOCK_H
#define _LINUX_MEMBLOCK_H

#include <linux/types.h>

#define INIT_MEMBLOCK_REGIONS 32

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region regions[INIT_MEMBLOCK_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* Register RAM / reserve a range. 0, or -ENOMEM when the region table is full. */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Allocates `size` bytes aligned to `align` from the highest free RAM; 0 on failure. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* The same, zeroed, as a direct-map pointer; NULL on failure. */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
/* 1 when [base, base + size) lies in registered RAM / overlaps a reservation. */
int memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
int memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/* Hands every unreserved RAM frame to the buddy allocator; returns the number of pages freed. */
unsigned long memblock_free_all(void);

#endif /* _LINUX_MEMBLOCK_H */
