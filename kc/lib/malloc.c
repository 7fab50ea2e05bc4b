/*
 * The memory allocator of Faultline's user C library (user code): malloc, free, calloc, realloc,
 * reallocarray, memalign, posix_memalign, aligned_alloc, valloc, pvalloc, malloc_usable_size.
 *
 * Chunks are glibc's (malloc/malloc.c): a chunk at p has p->prev_size (the previous chunk's size
 * while that one is free; its user bytes otherwise) and p->size (the chunk's size, a multiple of 16
 * and at least MINSIZE = 32, with PREV_INUSE and IS_MMAPPED in the low bits); the user pointer is
 * p + 16, so an in-use chunk overlaps the next chunk's prev_size and serves size - 8 bytes.
 *
 * Where memory comes from, with glibc's default parameters:
 * - Requests whose chunk is at least the mmap threshold (M_MMAP_THRESHOLD, 128 KiB) get their own
 *   anonymous mapping, unmapped again by free. Freeing such a chunk raises the threshold to its
 *   size (up to 32 MiB) and the trim threshold to twice that, glibc's dynamic threshold.
 * - Everything else comes from the heap above the program break: the "top" chunk is extended with
 *   sbrk by the request plus M_TOP_PAD (128 KiB), rounded to pages, and given back with a negative
 *   sbrk when a large free leaves more than M_TRIM_THRESHOLD (128 KiB) at the top. When the break
 *   moved under the allocator (the program called sbrk itself), the old top is closed with
 *   fenceposts and a new top starts at the new break, as glibc does; when brk fails, the heap
 *   continues in an anonymous mapping (glibc's MMAP_AS_MORECORE).
 * - Free chunks are coalesced with free neighbours at once and kept in 128 bins by size (glibc's bin
 *   index: exact 16-byte classes below 1 KiB, then logarithmic); a request takes the best fit of
 *   its bin or the smallest chunk of the next non-empty bin (a bitmap finds it), splitting off the
 *   rest. There are no fastbins, tcache or unsorted bin, so addresses differ from glibc's.
 * - Corruption checks report glibc's messages on stderr and abort (double free of a small chunk
 *   reads "free(): double free detected in tcache 2", as glibc's tcache reports it).
 *
 * Threads: one arena, one lock, taken once the process has a second thread; fork takes it so the
 * child's heap is consistent, then frees it in both.
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE_SZ 8UL
#define MALLOC_ALIGNMENT 16UL
#define MALLOC_ALIGN_MASK (MALLOC_ALIGNMENT - 1)
#define MINSIZE 32UL
#define CHUNK_HDR_SZ (2 * SIZE_SZ)
#define PAGESIZE 4096UL

#define PREV_INUSE 0x1UL
#define IS_MMAPPED 0x2UL
#define SIZE_BITS (PREV_INUSE | IS_MMAPPED)

#define NBINS 128
#define MIN_LARGE_SIZE 1024UL
#define BINMAP_WORDS (NBINS / 32)

#define DEFAULT_MMAP_THRESHOLD (128 * 1024UL)
#define DEFAULT_MMAP_THRESHOLD_MAX (32 * 1024 * 1024UL)
#define DEFAULT_TRIM_THRESHOLD (128 * 1024UL)
#define DEFAULT_TOP_PAD (128 * 1024UL)
#define DEFAULT_MMAP_MAX 65536
#define FASTBIN_CONSOLIDATION_THRESHOLD (64 * 1024UL)
#define MMAP_AS_MORECORE_SIZE (1024 * 1024UL)
/* The largest chunk glibc's tcache holds (its double-free check catches these). */
#define TCACHE_MAX_CHUNK 1040UL

struct malloc_chunk {
	size_t prev_size;
	size_t size;
	struct malloc_chunk *fd;	/* free chunks only: the bin's circular list */
	struct malloc_chunk *bk;
};
typedef struct malloc_chunk *mchunkptr;

#define chunk2mem(p) ((void *)((char *)(p) + CHUNK_HDR_SZ))
#define mem2chunk(m) ((mchunkptr)((char *)(m) - CHUNK_HDR_SZ))
#define chunksize(p) ((p)->size & ~SIZE_BITS)
#define chunk_at_offset(p, s) ((mchunkptr)((char *)(p) + (s)))
#define prev_inuse(p) (((p)->size & PREV_INUSE) != 0)
#define chunk_is_mmapped(p) (((p)->size & IS_MMAPPED) != 0)
#define inuse_bit_at_offset(p, s) ((chunk_at_offset(p, s)->size & PREV_INUSE) != 0)
#define set_inuse_bit_at_offset(p, s) (chunk_at_offset(p, s)->size |= PREV_INUSE)
#define clear_inuse_bit_at_offset(p, s) (chunk_at_offset(p, s)->size &= ~PREV_INUSE)
#define set_head(p, s) ((p)->size = (s))
#define set_head_size(p, s) ((p)->size = ((p)->size & SIZE_BITS) | (s))
#define set_foot(p, s) (chunk_at_offset(p, s)->prev_size = (s))
#define misaligned(x) (((uintptr_t)(x) & MALLOC_ALIGN_MASK) != 0)
#define align_up(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define align_down(x, a) ((x) & ~((a) - 1))

/* The main arena: all of the allocator's state (user memory, so fork copies it). */
static struct {
	int lock;
	int initialized;
	/* The chunk bordering the end of the heap; NULL before the first sbrk. */
	mchunkptr top;
	/* Whether top ends at the program break (false once the heap continued in a mapping). */
	int contiguous;
	/* Bytes obtained with sbrk (or the mapping that stands in for it). */
	size_t system_mem;
	unsigned int binmap[BINMAP_WORDS];
	/* Bin heads: sentinels of circular lists (only fd and bk are used). */
	struct malloc_chunk bins[NBINS];
	size_t mmap_threshold;
	size_t trim_threshold;
	size_t top_pad;
	int n_mmaps;
	int n_mmaps_max;
	size_t mmapped_mem;
} av;

/* glibc's malloc_printerr: the message on stderr (not through stdio), then abort. */
static void malloc_printerr(const char *message)
{
	__syscall3(__NR_write, 2, message, strlen(message));
	__syscall3(__NR_write, 2, "\n", 1);
	abort();
}

static void malloc_init(void)
{
	for (int i = 0; i < NBINS; i++) {
		av.bins[i].fd = &av.bins[i];
		av.bins[i].bk = &av.bins[i];
	}
	av.mmap_threshold = DEFAULT_MMAP_THRESHOLD;
	av.trim_threshold = DEFAULT_TRIM_THRESHOLD;
	av.top_pad = DEFAULT_TOP_PAD;
	av.n_mmaps_max = DEFAULT_MMAP_MAX;
	av.contiguous = 1;
	av.initialized = 1;
}

/* The chunk size serving a request (glibc's request2size). */
static size_t request2size(size_t bytes)
{
	return bytes + SIZE_SZ + MALLOC_ALIGN_MASK < MINSIZE ? MINSIZE : (bytes + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK;
}

/* glibc's bin_index on 64-bit targets. */
static int bin_index(size_t size)
{
	if (size < MIN_LARGE_SIZE)
		return (int)(size >> 4);
	if ((size >> 6) <= 48)
		return 48 + (int)(size >> 6);
	if ((size >> 9) <= 20)
		return 91 + (int)(size >> 9);
	if ((size >> 12) <= 10)
		return 110 + (int)(size >> 12);
	if ((size >> 15) <= 4)
		return 119 + (int)(size >> 15);
	if ((size >> 18) <= 2)
		return 124 + (int)(size >> 18);
	return 126;
}

static size_t top_size(void)
{
	return av.top == NULL ? 0 : chunksize(av.top);
}

/* ---- Bins --------------------------------------------------------------------------------------- */

static void insert_chunk(mchunkptr p, size_t size)
{
	int i = bin_index(size);
	mchunkptr bin = &av.bins[i];

	p->fd = bin->fd;
	p->bk = bin;
	bin->fd->bk = p;
	bin->fd = p;
	av.binmap[i >> 5] |= 1U << (i & 31);
}

static void unlink_chunk(mchunkptr p)
{
	if (p->fd->bk != p || p->bk->fd != p)
		malloc_printerr("corrupted double-linked list");
	p->fd->bk = p->bk;
	p->bk->fd = p->fd;
}

/* The first bin at or above `from` whose bitmap bit is set, or NBINS. */
static int next_marked_bin(int from)
{
	for (int word = from >> 5; word < BINMAP_WORDS; word++) {
		unsigned int bits = av.binmap[word];
		if (word == from >> 5)
			bits &= ~0U << (from & 31);
		if (bits != 0)
			return word * 32 + __builtin_ctz(bits);
	}
	return NBINS;
}

/* The smallest chunk of bin i of at least nb bytes, or NULL. */
static mchunkptr best_fit(int i, size_t nb)
{
	mchunkptr bin = &av.bins[i];
	mchunkptr best = NULL;

	/* Small bins hold one size: the oldest chunk (at the tail) goes first, FIFO as in glibc. */
	if (i < bin_index(MIN_LARGE_SIZE))
		return bin->bk != bin && chunksize(bin->bk) >= nb ? bin->bk : NULL;
	for (mchunkptr p = bin->fd; p != bin; p = p->fd) {
		size_t size = chunksize(p);
		if (size >= nb && (best == NULL || size < chunksize(best))) {
			best = p;
			if (size == nb)
				break;
		}
	}
	return best;
}

/* ---- Getting memory from the kernel ------------------------------------------------------------- */

/* A chunk in a mapping of its own (prev_size = its offset in the mapping, 0 here). */
static mchunkptr mmap_chunk(size_t nb)
{
	size_t size = align_up(nb + SIZE_SZ, PAGESIZE);
	char *mm;
	mchunkptr p;

	if (size <= nb)
		return NULL;
	mm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mm == MAP_FAILED)
		return NULL;
	p = (mchunkptr)mm;
	p->prev_size = 0;
	set_head(p, size | IS_MMAPPED);
	av.n_mmaps++;
	av.mmapped_mem += size;
	return p;
}

static void int_free(mchunkptr p);

/*
 * Makes top large enough for nb (+ MINSIZE) bytes: sbrk more (contiguous growth extends top), or
 * start a new top where the break or a backup mapping is. Returns 0 when no memory is left.
 */
static int grow_top(size_t nb)
{
	mchunkptr old_top = av.top;
	size_t old_size = top_size();
	char *old_end = (char *)old_top + old_size;
	size_t size = nb + av.top_pad + MINSIZE;
	char *brk = (char *)-1;
	size_t correction;

	if (av.contiguous) {
		if (old_top != NULL)
			size -= old_size;
		size = align_up(size, PAGESIZE);
		if (size > 0 && size <= PTRDIFF_MAX)
			brk = sbrk((intptr_t)size);
	}
	if (brk == (char *)-1) {
		/* glibc's MMAP_AS_MORECORE: the heap goes on in a mapping, no longer at the break. */
		size = align_up(nb + MINSIZE, PAGESIZE);
		if (size < MMAP_AS_MORECORE_SIZE)
			size = MMAP_AS_MORECORE_SIZE;
		brk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (brk == MAP_FAILED)
			return 0;
		av.contiguous = 0;
	} else if (brk == old_end && old_top != NULL) {
		/* The break was where top ended: top just grows. */
		av.system_mem += size;
		set_head(old_top, (old_size + size) | PREV_INUSE);
		return 1;
	}
	av.system_mem += size;
	/* A new region: align the first chunk, and close the old top with two fenceposts so that
	   nothing coalesces across the gap (the space between belongs to someone else). */
	correction = (MALLOC_ALIGNMENT - ((uintptr_t)chunk2mem(brk) & MALLOC_ALIGN_MASK)) & MALLOC_ALIGN_MASK;
	av.top = (mchunkptr)(brk + correction);
	set_head(av.top, (align_down(size - correction, MALLOC_ALIGNMENT)) | PREV_INUSE);
	if (old_top != NULL && old_size >= MINSIZE) {
		size_t keep = (old_size - MINSIZE) & ~MALLOC_ALIGN_MASK;
		set_head(old_top, keep | PREV_INUSE);
		set_head(chunk_at_offset(old_top, keep), CHUNK_HDR_SZ | PREV_INUSE);
		set_head(chunk_at_offset(old_top, keep + CHUNK_HDR_SZ), CHUNK_HDR_SZ | PREV_INUSE);
		if (keep >= MINSIZE)
			int_free(old_top);
	}
	return 1;
}

/* glibc's systrim: give the top's spare pages back to the kernel with a negative sbrk. */
static void systrim(void)
{
	size_t size = top_size();
	size_t extra;
	char *current;

	if (!av.contiguous || size < MINSIZE + 1 + av.top_pad)
		return;
	extra = align_down(size - MINSIZE - 1 - av.top_pad, PAGESIZE);
	if (extra == 0)
		return;
	current = sbrk(0);
	if (current != (char *)av.top + size)
		return;
	sbrk(-(intptr_t)extra);
	char *now = sbrk(0);
	if (now != (char *)-1 && now < current) {
		size_t released = (size_t)(current - now);
		av.system_mem -= released;
		set_head(av.top, (size - released) | PREV_INUSE);
	}
}

/* ---- The core (called with the lock held) ------------------------------------------------------- */

/* Hands out `victim` (of `size` bytes, out of its bin) for nb bytes, freeing what is left over. */
static void *use_chunk(mchunkptr victim, size_t size, size_t nb)
{
	size_t rest = size - nb;

	if (rest < MINSIZE) {
		set_inuse_bit_at_offset(victim, size);
	} else {
		mchunkptr remainder = chunk_at_offset(victim, nb);
		set_head(victim, nb | PREV_INUSE);
		set_head(remainder, rest | PREV_INUSE);
		set_foot(remainder, rest);
		insert_chunk(remainder, rest);
	}
	return chunk2mem(victim);
}

static void *int_malloc(size_t nb)
{
	int i = bin_index(nb);
	mchunkptr victim;

	if (!av.initialized)
		malloc_init();
	/* Large requests get a mapping of their own. */
	if (nb >= av.mmap_threshold && av.n_mmaps < av.n_mmaps_max) {
		victim = mmap_chunk(nb);
		if (victim != NULL)
			return chunk2mem(victim);
	}
	/* The request's own bin, then the first non-empty bin above it. */
	for (;;) {
		i = next_marked_bin(i);
		if (i >= NBINS)
			break;
		victim = best_fit(i, nb);
		if (victim != NULL) {
			unlink_chunk(victim);
			if (av.bins[i].fd == &av.bins[i])
				av.binmap[i >> 5] &= ~(1U << (i & 31));
			return use_chunk(victim, chunksize(victim), nb);
		}
		if (av.bins[i].fd == &av.bins[i])
			av.binmap[i >> 5] &= ~(1U << (i & 31));
		i++;
	}
	/* The top chunk, grown first if needed. */
	if (top_size() < nb + MINSIZE && !grow_top(nb))
		return NULL;
	victim = av.top;
	size_t size = chunksize(victim);
	av.top = chunk_at_offset(victim, nb);
	set_head(av.top, (size - nb) | PREV_INUSE);
	set_head(victim, nb | PREV_INUSE);
	return chunk2mem(victim);
}

/* Gives a mapped chunk back to the kernel (glibc's munmap_chunk). */
static void munmap_chunk(mchunkptr p)
{
	uintptr_t block = (uintptr_t)p - p->prev_size;
	size_t total = p->prev_size + chunksize(p);

	if (((block | total) & (PAGESIZE - 1)) != 0)
		malloc_printerr("munmap_chunk(): invalid pointer");
	av.n_mmaps--;
	av.mmapped_mem -= total;
	munmap((void *)block, total);
}

/* Frees a heap chunk: checks, coalescing with free neighbours (or top), binning, trimming. */
static void int_free(mchunkptr p)
{
	size_t size = chunksize(p);
	mchunkptr next;
	size_t next_size;

	if ((uintptr_t)p > (uintptr_t)-size || misaligned(p))
		malloc_printerr("free(): invalid pointer");
	if (size < MINSIZE || misaligned(size))
		malloc_printerr("free(): invalid size");
	if (p == av.top)
		malloc_printerr("double free or corruption (top)");
	next = chunk_at_offset(p, size);
	if (av.contiguous && av.top != NULL && (char *)next >= (char *)av.top + chunksize(av.top))
		malloc_printerr("double free or corruption (out)");
	if (!prev_inuse(next))
		malloc_printerr(size <= TCACHE_MAX_CHUNK ? "free(): double free detected in tcache 2" : "double free or corruption (!prev)");
	next_size = chunksize(next);
	/* The raw size: a fencepost (16 | PREV_INUSE) passes, as in glibc. */
	if (next->size <= CHUNK_HDR_SZ || next_size >= av.system_mem)
		malloc_printerr("free(): invalid next size (normal)");

	if (!prev_inuse(p)) {
		size_t prev_size = p->prev_size;
		p = chunk_at_offset(p, -(long)prev_size);
		if (chunksize(p) != prev_size)
			malloc_printerr("corrupted size vs. prev_size while consolidating");
		size += prev_size;
		unlink_chunk(p);
	}
	if (next != av.top) {
		if (!inuse_bit_at_offset(next, next_size)) {
			unlink_chunk(next);
			size += next_size;
		} else {
			clear_inuse_bit_at_offset(next, 0);
		}
		set_head(p, size | PREV_INUSE);
		set_foot(p, size);
		insert_chunk(p, size);
	} else {
		size += next_size;
		set_head(p, size | PREV_INUSE);
		av.top = p;
	}
	if (size >= FASTBIN_CONSOLIDATION_THRESHOLD && top_size() >= av.trim_threshold)
		systrim();
}

/* free's work for any chunk: mapped ones go back to the kernel and raise the thresholds. */
static void free_chunk(mchunkptr p)
{
	if (chunk_is_mmapped(p)) {
		size_t size = chunksize(p);
		if (misaligned(chunk2mem(p)))
			malloc_printerr("free(): invalid pointer");
		if (size > av.mmap_threshold && size <= DEFAULT_MMAP_THRESHOLD_MAX) {
			av.mmap_threshold = size;
			av.trim_threshold = 2 * size;
		}
		munmap_chunk(p);
		return;
	}
	int_free(p);
}

/* glibc's _int_memalign: over-allocate, free the misaligned front and the spare tail. */
static void *int_memalign(size_t alignment, size_t bytes)
{
	size_t nb;
	char *m;
	mchunkptr p;

	if (alignment < MINSIZE)
		alignment = MINSIZE;
	if ((alignment & (alignment - 1)) != 0) {
		size_t a = MINSIZE;
		while (a < alignment)
			a <<= 1;
		alignment = a;
	}
	if (bytes > PTRDIFF_MAX - alignment - MINSIZE) {
		errno = ENOMEM;
		return NULL;
	}
	nb = request2size(bytes);
	m = int_malloc(nb + alignment + MINSIZE);
	if (m == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	p = mem2chunk(m);
	if (((uintptr_t)m % alignment) != 0) {
		char *brk = (char *)mem2chunk(((uintptr_t)m + alignment - 1) & ~(alignment - 1));
		mchunkptr newp;
		size_t lead;
		size_t newsize;

		if ((size_t)(brk - (char *)p) < MINSIZE)
			brk += alignment;
		newp = (mchunkptr)brk;
		lead = (size_t)(brk - (char *)p);
		newsize = chunksize(p) - lead;
		if (chunk_is_mmapped(p)) {
			newp->prev_size = p->prev_size + lead;
			set_head(newp, newsize | IS_MMAPPED);
			return chunk2mem(newp);
		}
		set_head(newp, newsize | PREV_INUSE);
		set_inuse_bit_at_offset(newp, newsize);
		set_head_size(p, lead);
		int_free(p);
		p = newp;
	}
	if (!chunk_is_mmapped(p)) {
		size_t size = chunksize(p);
		if (size > nb + MINSIZE) {
			mchunkptr remainder = chunk_at_offset(p, nb);
			set_head(remainder, (size - nb) | PREV_INUSE);
			set_head_size(p, nb);
			int_free(remainder);
		}
	}
	return chunk2mem(p);
}

/* ---- The API ------------------------------------------------------------------------------------ */

void *malloc(size_t bytes)
{
	void *mem;

	if (bytes > PTRDIFF_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	__libc_lock(&av.lock);
	mem = int_malloc(request2size(bytes));
	__libc_unlock(&av.lock);
	if (mem == NULL)
		errno = ENOMEM;
	return mem;
}

void free(void *mem)
{
	if (mem == NULL)
		return;
	__libc_lock(&av.lock);
	free_chunk(mem2chunk(mem));
	__libc_unlock(&av.lock);
}

void *calloc(size_t n, size_t elem_size)
{
	size_t bytes;
	void *mem;

	if (__builtin_mul_overflow(n, elem_size, &bytes) || bytes > PTRDIFF_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	mem = malloc(bytes);
	/* A fresh mapping is zero already (glibc skips clearing it too). */
	if (mem != NULL && !chunk_is_mmapped(mem2chunk(mem)))
		memset(mem, 0, bytes);
	return mem;
}

/* A mapped chunk resized with mremap (glibc's mremap_chunk); NULL when it cannot be. */
static mchunkptr mremap_chunk(mchunkptr p, size_t nb)
{
	size_t offset = p->prev_size;
	size_t total = offset + chunksize(p);
	size_t new_size = align_up(nb + offset + SIZE_SZ, PAGESIZE);
	char *cp;

	if (new_size == total)
		return p;
	cp = mremap((char *)p - offset, total, new_size, MREMAP_MAYMOVE);
	if (cp == MAP_FAILED)
		return NULL;
	p = (mchunkptr)(cp + offset);
	set_head(p, (new_size - offset) | IS_MMAPPED);
	av.mmapped_mem += new_size - total;
	return p;
}

/* glibc's _int_realloc for a heap chunk: shrink in place, grow into a free neighbour or top, or
   move (allocate, copy, free). */
static void *int_realloc(mchunkptr oldp, size_t oldsize, size_t nb)
{
	mchunkptr next = chunk_at_offset(oldp, oldsize);
	mchunkptr newp = oldp;
	size_t newsize = oldsize;

	if (next->size <= CHUNK_HDR_SZ || chunksize(next) >= av.system_mem)
		malloc_printerr("realloc(): invalid next size");
	if (oldsize < nb) {
		size_t next_size = chunksize(next);
		if (next == av.top && oldsize + next_size >= nb + MINSIZE) {
			set_head_size(oldp, nb);
			av.top = chunk_at_offset(oldp, nb);
			set_head(av.top, (oldsize + next_size - nb) | PREV_INUSE);
			return chunk2mem(oldp);
		}
		if (next != av.top && !inuse_bit_at_offset(next, next_size) && oldsize + next_size >= nb) {
			unlink_chunk(next);
			newsize += next_size;
		} else {
			void *newmem = int_malloc(nb);
			if (newmem == NULL)
				return NULL;
			memcpy(newmem, chunk2mem(oldp), oldsize - SIZE_SZ);
			int_free(oldp);
			return newmem;
		}
	}
	/* newsize >= nb: keep what is needed, free the rest if it makes a chunk. */
	if (newsize - nb < MINSIZE) {
		set_head_size(newp, newsize);
		set_inuse_bit_at_offset(newp, newsize);
	} else {
		mchunkptr remainder = chunk_at_offset(newp, nb);
		set_head_size(newp, nb);
		set_head(remainder, (newsize - nb) | PREV_INUSE);
		set_inuse_bit_at_offset(remainder, newsize - nb);
		int_free(remainder);
	}
	return chunk2mem(newp);
}

void *realloc(void *oldmem, size_t bytes)
{
	mchunkptr oldp;
	size_t oldsize;
	size_t nb;
	void *newmem;

	if (oldmem == NULL)
		return malloc(bytes);
	if (bytes == 0) {
		free(oldmem);
		return NULL;
	}
	if (bytes > PTRDIFF_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	oldp = mem2chunk(oldmem);
	oldsize = chunksize(oldp);
	if ((uintptr_t)oldp > (uintptr_t)-oldsize || misaligned(oldp))
		malloc_printerr("realloc(): invalid pointer");
	nb = request2size(bytes);
	if (chunk_is_mmapped(oldp)) {
		mchunkptr newp;
		__libc_lock(&av.lock);
		newp = mremap_chunk(oldp, nb);
		__libc_unlock(&av.lock);
		if (newp != NULL)
			return chunk2mem(newp);
		if (oldsize - SIZE_SZ >= nb)
			return oldmem;
		newmem = malloc(bytes);
		if (newmem == NULL)
			return NULL;
		memcpy(newmem, oldmem, oldsize - CHUNK_HDR_SZ);
		__libc_lock(&av.lock);
		munmap_chunk(oldp);
		__libc_unlock(&av.lock);
		return newmem;
	}
	__libc_lock(&av.lock);
	newmem = int_realloc(oldp, oldsize, nb);
	__libc_unlock(&av.lock);
	if (newmem == NULL)
		errno = ENOMEM;
	return newmem;
}

void *reallocarray(void *ptr, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, bytes);
}

void *memalign(size_t alignment, size_t bytes)
{
	void *mem;

	if (alignment <= MALLOC_ALIGNMENT)
		return malloc(bytes);
	/* A huge alignment can never be met (glibc checks the same bound). */
	if (alignment > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	__libc_lock(&av.lock);
	if (!av.initialized)
		malloc_init();
	mem = int_memalign(alignment, bytes);
	__libc_unlock(&av.lock);
	return mem;
}

/* glibc 2.36's aligned_alloc is memalign. */
void *aligned_alloc(size_t alignment, size_t bytes)
{
	return memalign(alignment, bytes);
}

/* posix_memalign returns the error instead of setting errno; the alignment must be a power of two
   multiple of sizeof(void *). */
int posix_memalign(void **memptr, size_t alignment, size_t bytes)
{
	void *mem;
	int saved = errno;

	if (alignment % sizeof(void *) != 0 || alignment == 0 || ((alignment / sizeof(void *)) & (alignment / sizeof(void *) - 1)) != 0)
		return EINVAL;
	mem = memalign(alignment, bytes);
	if (mem == NULL) {
		int error = errno;
		errno = saved;
		return error;
	}
	*memptr = mem;
	return 0;
}

void *valloc(size_t bytes)
{
	return memalign(PAGESIZE, bytes);
}

void *pvalloc(size_t bytes)
{
	if (bytes > SIZE_MAX - PAGESIZE) {
		errno = ENOMEM;
		return NULL;
	}
	return memalign(PAGESIZE, align_up(bytes, PAGESIZE));
}

/* The bytes a block really offers (glibc: chunk size minus the header it does not share). */
size_t malloc_usable_size(void *mem)
{
	mchunkptr p;

	if (mem == NULL)
		return 0;
	p = mem2chunk(mem);
	if (chunk_is_mmapped(p))
		return chunksize(p) - CHUNK_HDR_SZ;
	if (inuse_bit_at_offset(p, chunksize(p)))
		return chunksize(p) - SIZE_SZ;
	return 0;
}

/* ---- fork --------------------------------------------------------------------------------------- */

void __malloc_fork_prepare(void)
{
	__libc_lock(&av.lock);
}

void __malloc_fork_parent(void)
{
	__libc_unlock(&av.lock);
}

void __malloc_fork_child(void)
{
	av.lock = 0;
}
