/* glibc's signal set: 1024 bits, wider than the kernel's 64 (the rest stays zero). Not a standard
   header. */
#ifndef ____sigset_t_defined
#define ____sigset_t_defined 1

typedef struct {
	unsigned long __val[1024 / (8 * sizeof(unsigned long))];
} __sigset_t;

#endif
