// Checks goto-based error unwinding in the kernel style: acquire resources in order, release in reverse on failure.
#include <stdio.h>
#include <stdlib.h>

#define ENOMEM 12
#define EBUSY 16
#define EINVAL 22

static int log_depth;

static void *acquire(const char *what, int fail) {
	if (fail) {
		printf("  %s: failed\n", what);
		return NULL;
	}
	log_depth++;
	printf("  %s: ok\n", what);
	return malloc(16);
}

static void release(const char *what, void *p) {
	log_depth--;
	printf("  release %s\n", what);
	free(p);
}

static int setup(int fail_at) {
	int err;
	void *table, *buffer, *irq;
	table = acquire("table", fail_at == 1);
	if (!table) {
		err = -ENOMEM;
		goto out;
	}
	buffer = acquire("buffer", fail_at == 2);
	if (!buffer) {
		err = -ENOMEM;
		goto out_free_table;
	}
	irq = acquire("irq", fail_at == 3);
	if (!irq) {
		err = -EBUSY;
		goto out_free_buffer;
	}
	if (fail_at == 4) {
		printf("  validation failed\n");
		err = -EINVAL;
		goto out_free_irq;
	}
	printf("  all set up\n");
	release("irq", irq);
	release("buffer", buffer);
	release("table", table);
	return 0;

out_free_irq:
	release("irq", irq);
out_free_buffer:
	release("buffer", buffer);
out_free_table:
	release("table", table);
out:
	return err;
}

static int find_first_negative(int rows, int cols, int m[][3], int *ri, int *ci) {
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++)
			if (m[i][j] < 0) {
				*ri = i;
				*ci = j;
				goto found;
			}
	return 0;
found:
	return 1;
}

int main(void) {
	for (int fail = 0; fail <= 4; fail++) {
		printf("fail_at=%d\n", fail);
		int r = setup(fail);
		printf("result=%d depth=%d\n", r, log_depth);
	}
	int m[2][3] = { { 1, 2, 3 }, { 4, -5, 6 } };
	int ri = -1, ci = -1;
	int found = find_first_negative(2, 3, m, &ri, &ci);
	printf("found=%d at %d,%d\n", found, ri, ci);
	int n = 0;
again:
	n++;
	if (n < 5) goto again;
	printf("backward goto loop ran %d times\n", n);
	return 0;
}
