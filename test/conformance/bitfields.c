// Checks bit-fields: layout via sizeof, packing into storage units, signed fields, wrap-around on assignment.
#include <stdio.h>
#include <string.h>

struct flags {
	unsigned int present : 1;
	unsigned int writable : 1;
	unsigned int user : 1;
	unsigned int accessed : 1;
	unsigned int dirty : 1;
	unsigned int pfn : 20;
};

struct mixed {
	unsigned char a : 3;
	unsigned char b : 5;
	unsigned char c : 4;
};

struct signed_bits {
	int s3 : 3;
	int s5 : 5;
	unsigned int u7 : 7;
};

struct with_zero {
	unsigned int a : 4;
	unsigned int : 0;
	unsigned int b : 4;
};

struct straddle {
	unsigned short x : 12;
	unsigned short y : 12;
};

struct pte_like {
	unsigned long present : 1;
	unsigned long rw : 1;
	unsigned long unused : 10;
	unsigned long pfn : 40;
	unsigned long avail : 11;
	unsigned long nx : 1;
};

int main(void) {
	struct flags f;
	memset(&f, 0, sizeof f);
	f.present = 1;
	f.dirty = 1;
	f.pfn = 0xabcde;
	unsigned int raw;
	memcpy(&raw, &f, sizeof raw);
	printf("sizeof flags=%zu raw=%#x pfn=%#x\n", sizeof f, raw, f.pfn);
	f.pfn = 0x1fffff; /* wraps to 20 bits */
	printf("wrapped pfn=%#x\n", f.pfn);
	printf("sizeof mixed=%zu signed_bits=%zu with_zero=%zu straddle=%zu pte_like=%zu\n", sizeof(struct mixed),
	       sizeof(struct signed_bits), sizeof(struct with_zero), sizeof(struct straddle), sizeof(struct pte_like));
	struct signed_bits s = { 3, -16, 127 };
	printf("s3=%d s5=%d u7=%u\n", s.s3, s.s5, s.u7);
	s.s3 = 4; /* out of range for 3 signed bits: gcc wraps to -4 */
	s.u7 += 1;
	printf("s3=%d u7=%u\n", s.s3, s.u7);
	printf("promotion: %d %d\n", s.u7 - 1 < 0, f.present - 2 < 0);
	struct with_zero z = { 5, 9 };
	unsigned int words[2];
	memcpy(words, &z, sizeof words);
	printf("with_zero words: %u %u\n", words[0], words[1]);
	struct mixed m = { 7, 31, 15 };
	unsigned char mb[2];
	memcpy(mb, &m, 2);
	printf("mixed bytes: %#x %#x\n", mb[0], mb[1]);
	struct pte_like pte = { 0 };
	pte.present = 1;
	pte.rw = 1;
	pte.pfn = 0x123456789UL;
	pte.nx = 1;
	unsigned long word;
	memcpy(&word, &pte, sizeof word);
	printf("pte word=%#lx pfn=%#lx\n", word, (unsigned long)pte.pfn);
	int total = 0;
	for (int i = 0; i < 40; i++) {
		f.accessed = i;
		total += f.accessed;
	}
	printf("toggled total=%d\n", total);
	return 0;
}
