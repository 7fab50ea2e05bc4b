/* <linux/memory_hotplug.h>: adding physical memory at run time (mm/memory_hotplug.c).
 *
 * Faultline's kernel uses the flat memory model (one mem_map for RAM, see <asm/page.h>). Memory
 * added later gets its own array of struct pages, one "section" per call; pfn_valid, pfn_to_page
 * and page_to_pfn consult the sections for PFNs past mem_map (the <asm/page.h> block "memory
 * hotplug"). Only the 2.6.18-2.6.20 profiles compile this, for what the Cell's spu_base.c did with
 * the SPEs' local stores and problem-state areas (kernel-semantics.md section 1: "pfn_valid(pfn)
 * ... in 2.6.18 it was also true for Cell SPU local store and problem-state MMIO"). Added pages are
 * never onlined: they stay PG_reserved with one reference, outside the buddy allocator. */
#ifndef _LINUX_MEMORY_HOTPLUG_H
#define _LINUX_MEMORY_HOTPLUG_H

#include <linux/types.h>
#include <linux/mmzone.h>

/* Struct pages for [phys_start_pfn, phys_start_pfn + nr_pages): 0, -EEXIST when the range already
 * has them, -EINVAL for a range that overlaps RAM or another section, -ENOMEM, -ENOSPC. */
int __add_pages(struct zone *zone, unsigned long phys_start_pfn, unsigned long nr_pages);

/* The hot-added sections, for views: the i-th one's first PFN and size (0 past the last). */
unsigned long hotplug_section_pfn(int i, unsigned long *nr_pages);

#endif /* _LINUX_MEMORY_HOTPLUG_H */
