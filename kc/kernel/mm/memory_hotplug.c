/* mm/memory_hotplug.c: physical memory added at run time (__add_pages), 2.6.18-2.6.20 profiles.
 *
 * See <linux/memory_hotplug.h>. Each section is a range of PFNs past mem_map with its own array of
 * struct pages (kzalloc'd, initialised as free_area_init initialises mem_map: reserved, one
 * reference, unmapped). Sections are never removed (2.6.18 could not remove memory either). The
 * lookups take no lock: a section is fully initialised before nr_sections makes it visible, and
 * sections never change afterwards. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/memory_hotplug.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)

#define MAX_HOTPLUG_SECTIONS 32

struct hotplug_section {
	unsigned long start_pfn;
	unsigned long nr_pages;
	struct page *map;
};

static struct hotplug_section hotplug_sections[MAX_HOTPLUG_SECTIONS];
static int nr_sections;
static DEFINE_SPINLOCK(hotplug_lock);

static struct hotplug_section *section_of_pfn(unsigned long pfn)
{
	int i;

	for (i = 0; i < nr_sections; i++) {
		struct hotplug_section *s = &hotplug_sections[i];

		if (pfn - s->start_pfn < s->nr_pages)
			return s;
	}
	return NULL;
}

int __hotplug_pfn_valid(unsigned long pfn)
{
	return section_of_pfn(pfn) != NULL;
}

struct page *__hotplug_pfn_to_page(unsigned long pfn)
{
	struct hotplug_section *s = section_of_pfn(pfn);

	/* No section: the flat model's answer, a pointer past mem_map (see <asm/page.h>). */
	if (!s)
		return mem_map + pfn;
	return s->map + (pfn - s->start_pfn);
}

unsigned long __hotplug_page_to_pfn(const struct page *page)
{
	unsigned long address = (unsigned long)page;
	int i;

	for (i = 0; i < nr_sections; i++) {
		struct hotplug_section *s = &hotplug_sections[i];
		unsigned long base = (unsigned long)s->map;

		if (address - base < s->nr_pages * sizeof(struct page))
			return s->start_pfn + (address - base) / sizeof(struct page);
	}
	return (unsigned long)(page - mem_map);
}

int __add_pages(struct zone *zone, unsigned long phys_start_pfn, unsigned long nr_pages)
{
	struct page *map;
	unsigned long i;
	int ret = 0;

	(void)zone;
	if (!nr_pages || phys_start_pfn < max_mapnr)
		return -EINVAL;
	for (i = 0; i < (unsigned long)nr_sections; i++) {
		struct hotplug_section *s = &hotplug_sections[i];

		if (s->start_pfn == phys_start_pfn && s->nr_pages == nr_pages)
			return -EEXIST;
		if (phys_start_pfn < s->start_pfn + s->nr_pages && s->start_pfn < phys_start_pfn + nr_pages)
			return -EINVAL;
	}
	map = kzalloc(nr_pages * sizeof(struct page), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	/* memmap_init_zone: every page reserved, with one reference, unmapped. */
	for (i = 0; i < nr_pages; i++) {
		struct page *page = &map[i];

		page->flags = 1UL << PG_reserved;
		init_page_count(page);
		page_mapcount_reset(page);
		INIT_LIST_HEAD(&page->lru);
	}
	spin_lock(&hotplug_lock);
	if (nr_sections == MAX_HOTPLUG_SECTIONS) {
		ret = -ENOSPC;
	} else {
		hotplug_sections[nr_sections].start_pfn = phys_start_pfn;
		hotplug_sections[nr_sections].nr_pages = nr_pages;
		hotplug_sections[nr_sections].map = map;
		nr_sections++;
	}
	spin_unlock(&hotplug_lock);
	if (ret)
		kfree(map);
	return ret;
}

unsigned long hotplug_section_pfn(int i, unsigned long *nr_pages)
{
	if (i < 0 || i >= nr_sections) {
		*nr_pages = 0;
		return 0;
	}
	*nr_pages = hotplug_sections[i].nr_pages;
	return hotplug_sections[i].start_pfn;
}

#endif
