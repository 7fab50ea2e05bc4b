// Checks a malloc'd chained hash table: insert, update, lookup, delete, resize, and freeing everything.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;
	int value;
	struct entry *next;
};

struct table {
	struct entry **buckets;
	size_t nbuckets, count;
};

static unsigned long hash(const char *s) {
	unsigned long h = 5381;
	while (*s) h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct table *table_new(size_t n) {
	struct table *t = malloc(sizeof *t);
	t->buckets = calloc(n, sizeof *t->buckets);
	t->nbuckets = n;
	t->count = 0;
	return t;
}

static void table_resize(struct table *t, size_t n) {
	struct entry **fresh = calloc(n, sizeof *fresh);
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct entry *e = t->buckets[i];
		while (e) {
			struct entry *next = e->next;
			size_t b = hash(e->key) % n;
			e->next = fresh[b];
			fresh[b] = e;
			e = next;
		}
	}
	free(t->buckets);
	t->buckets = fresh;
	t->nbuckets = n;
}

static void table_put(struct table *t, const char *key, int value) {
	size_t b = hash(key) % t->nbuckets;
	for (struct entry *e = t->buckets[b]; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			e->value = value;
			return;
		}
	struct entry *e = malloc(sizeof *e);
	e->key = strdup(key);
	e->value = value;
	e->next = t->buckets[b];
	t->buckets[b] = e;
	if (++t->count > t->nbuckets * 2) table_resize(t, t->nbuckets * 4);
}

static int *table_get(struct table *t, const char *key) {
	for (struct entry *e = t->buckets[hash(key) % t->nbuckets]; e; e = e->next)
		if (strcmp(e->key, key) == 0) return &e->value;
	return NULL;
}

static int table_del(struct table *t, const char *key) {
	struct entry **link = &t->buckets[hash(key) % t->nbuckets];
	for (struct entry *e = *link; e; link = &e->next, e = e->next)
		if (strcmp(e->key, key) == 0) {
			*link = e->next;
			free(e->key);
			free(e);
			t->count--;
			return 1;
		}
	return 0;
}

static void table_free(struct table *t) {
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct entry *e = t->buckets[i];
		while (e) {
			struct entry *next = e->next;
			free(e->key);
			free(e);
			e = next;
		}
	}
	free(t->buckets);
	free(t);
}

int main(void) {
	struct table *t = table_new(4);
	char key[32];
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "key-%d", i * 7919 % 1000);
		table_put(t, key, i);
	}
	printf("count=%zu buckets=%zu\n", t->count, t->nbuckets);
	const char *probe[] = { "key-0", "key-919", "key-838", "key-1", "missing" };
	for (int i = 0; i < 5; i++) {
		int *v = table_get(t, probe[i]);
		printf("%s -> %d\n", probe[i], v ? *v : -1);
	}
	table_put(t, "key-0", -5);
	printf("updated key-0 -> %d count=%zu\n", *table_get(t, "key-0"), t->count);
	int deleted = 0;
	for (int i = 0; i < 1000; i += 3) {
		snprintf(key, sizeof key, "key-%d", i);
		deleted += table_del(t, key);
	}
	printf("deleted=%d count=%zu\n", deleted, t->count);
	long checksum = 0;
	size_t longest = 0;
	for (size_t i = 0; i < t->nbuckets; i++) {
		size_t len = 0;
		for (struct entry *e = t->buckets[i]; e; e = e->next, len++) checksum += e->value * (long)(i + 1);
		if (len > longest) longest = len;
	}
	printf("checksum=%ld longest chain=%zu\n", checksum, longest);
	table_free(t);
	printf("freed\n");
	return 0;
}
