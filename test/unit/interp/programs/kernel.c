int printf(const char *, ...);
void *malloc(unsigned long);
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline int IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
#define ENOMEM 12
#define EINVAL 22
#define BUG_ON(c) do { if (unlikely(c)) { printf("BUG at %d\n", __LINE__); } } while (0)
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32; typedef unsigned long long u64;
struct __attribute__((packed)) hdr { u8 type; u32 len; u16 flags; u64 addr; };
struct pte_bits { u64 present : 1, rw : 1, user : 1, pwt : 1, pcd : 1, accessed : 1, dirty : 1, pat : 1, global : 1, avail : 3, pfn : 40, rsvd : 11, nx : 1; };
union pte { u64 raw; struct pte_bits b; };
static void *alloc_thing(int fail) { if (fail) return ERR_PTR(-ENOMEM); return malloc(16); }
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define ALIGN(x, a) (((x) + (a) - 1) & ~((a) - 1))
int main(void) {
	void *p = alloc_thing(1), *q = alloc_thing(0);
	printf("%d %ld %d\n", IS_ERR(p), PTR_ERR(p), IS_ERR(q));
	printf("%d %lx\n", (int)sizeof(struct hdr), (unsigned long)p);
	struct hdr h = { 1, 0x11223344, 0x5566, 0x0102030405060708ULL };
	unsigned char *raw = (unsigned char *)&h; printf("%x %x %x %llx\n", raw[1], raw[5], h.flags, h.addr);
	union pte e; e.raw = 0; e.b.present = 1; e.b.rw = 1; e.b.pfn = 0x12345; e.b.nx = 1;
	printf("%llx %llx %d\n", e.raw, (u64)e.b.pfn, (int)e.b.nx);
	e.raw |= 1ULL << 6; printf("%d %d\n", (int)e.b.dirty, (int)e.b.accessed);
	unsigned long va = 0x7fffdeadb123UL; printf("%lx %lx %lx %lx\n", va & PAGE_MASK, PFN_DOWN(va), ALIGN(va, PAGE_SIZE), va & ~PAGE_MASK);
	volatile u32 reg = 5; reg |= 2; u32 v = reg; printf("%u\n", v);
	BUG_ON(v != 7); BUG_ON(v == 7);
	unsigned long kaddr = 0xffff880000001000UL; void *kp = (void *)kaddr; printf("%lx %d\n", (unsigned long)kp, kp > q);
	long lk = (long)kp; printf("%ld\n", lk >> 40);
	u64 mask = ~0ULL >> 12 << 12; printf("%llx\n", mask);
	u32 x = 0xf0f0f0f0; printf("%x %x\n", x >> 4 | x << 28, (u32)((u64)x * 3 >> 32));
	return 0;
}
