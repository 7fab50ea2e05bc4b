// Checks container_of and an intrusive doubly linked list_head with list_for_each_entry, as in the Linux kernel.
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
#define container_of(ptr, type, member) ({ \
	const typeof(((type *)0)->member) *__mptr = (ptr); \
	(type *)((char *)__mptr - offsetof(type, member)); })
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, typeof(*pos), member); &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, typeof(*pos), member), n = list_next_entry(pos, member); \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

static inline void INIT_LIST_HEAD(struct list_head *list) {
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *new, struct list_head *prev, struct list_head *next) {
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

static inline void list_add(struct list_head *new, struct list_head *head) { __list_add(new, head, head->next); }
static inline void list_add_tail(struct list_head *new, struct list_head *head) { __list_add(new, head->prev, head); }

static inline void list_del(struct list_head *entry) {
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

static inline int list_empty(const struct list_head *head) { return head->next == head; }

struct page {
	unsigned long flags;
	int pfn;
	struct list_head lru;
	int mapcount;
};

static LIST_HEAD(inactive);

int main(void) {
	LIST_HEAD(active);
	struct page *pages = calloc(6, sizeof(struct page));
	for (int i = 0; i < 6; i++) {
		pages[i].pfn = 100 + i;
		pages[i].mapcount = i % 3;
		if (i % 2) list_add(&pages[i].lru, &active);
		else list_add_tail(&pages[i].lru, &inactive);
	}
	struct page *pos, *n;
	printf("active:");
	list_for_each_entry(pos, &active, lru) printf(" %d", pos->pfn);
	printf("\ninactive:");
	list_for_each_entry(pos, &inactive, lru) printf(" %d", pos->pfn);
	printf("\n");
	/* Move unmapped pages from active to inactive while iterating. */
	list_for_each_entry_safe(pos, n, &active, lru) {
		if (pos->mapcount == 0) {
			list_del(&pos->lru);
			list_add(&pos->lru, &inactive);
		}
	}
	int count = 0;
	list_for_each_entry(pos, &inactive, lru) count++;
	printf("inactive now %d, first pfn %d\n", count, list_first_entry(&inactive, struct page, lru)->pfn);
	struct list_head *lh = &pages[4].lru;
	struct page *owner = container_of(lh, struct page, lru);
	printf("container_of: pfn %d, same object %d, offsetof lru %zu\n", owner->pfn, owner == &pages[4], offsetof(struct page, lru));
	list_for_each_entry_safe(pos, n, &inactive, lru) list_del(&pos->lru);
	list_for_each_entry_safe(pos, n, &active, lru) list_del(&pos->lru);
	printf("empty: %d %d\n", list_empty(&active), list_empty(&inactive));
	free(pages);
	return 0;
}
