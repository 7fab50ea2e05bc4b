/* <malloc.h> for Faultline user programs: glibc's allocator extensions that the C library
   (kc/lib/malloc.c) implements, besides the <stdlib.h> functions. */
#ifndef _MALLOC_H
#define _MALLOC_H 1

#include <stdlib.h>

void *memalign(size_t __alignment, size_t __size);
void *valloc(size_t __size);
void *pvalloc(size_t __size);
size_t malloc_usable_size(void *__ptr);

#endif
