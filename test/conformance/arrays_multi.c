// Checks multi-dimensional arrays: row-major layout, initializers, pointers to rows, passing to functions.
#include <stdio.h>

#define ROWS 3
#define COLS 4

static int trace(int n, int m[][3]) {
	int t = 0;
	for (int i = 0; i < n; i++) t += m[i][i];
	return t;
}

static void transpose(int src[ROWS][COLS], int dst[COLS][ROWS]) {
	for (int i = 0; i < ROWS; i++)
		for (int j = 0; j < COLS; j++) dst[j][i] = src[i][j];
}

int main(void) {
	int m[ROWS][COLS];
	for (int i = 0; i < ROWS; i++)
		for (int j = 0; j < COLS; j++) m[i][j] = i * 10 + j;
	printf("sizeof m=%zu m[0]=%zu m[0][0]=%zu\n", sizeof m, sizeof m[0], sizeof m[0][0]);
	int *flat = &m[0][0];
	for (int k = 0; k < ROWS * COLS; k++) printf("%d%c", flat[k], k == ROWS * COLS - 1 ? '\n' : ' ');
	int t[COLS][ROWS];
	transpose(m, t);
	for (int j = 0; j < COLS; j++) printf("t[%d] = %d %d %d\n", j, t[j][0], t[j][1], t[j][2]);

	int sq[3][3] = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } };
	printf("trace=%d\n", trace(3, sq));
	int partial[3][4] = { { 1 }, { 2, 3 }, [2][3] = 9 };
	for (int i = 0; i < 3; i++) printf("partial[%d] = %d %d %d %d\n", i, partial[i][0], partial[i][1], partial[i][2], partial[i][3]);

	char names[3][8] = { "alpha", "beta", "gamma" };
	for (int i = 0; i < 3; i++) printf("%s(%zu) ", names[i], sizeof names[i]);
	printf("\n");

	int cube[2][3][4];
	int n = 0;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 4; k++) cube[i][j][k] = n++;
	printf("cube[1][2][3]=%d sizeof cube[1]=%zu offset=%td\n", cube[1][2][3], sizeof cube[1], &cube[1][2][3] - &cube[0][0][0]);
	int (*plane)[4] = cube[1];
	printf("plane[1][1]=%d\n", plane[1][1]);
	int unsized[] = { 5, 6, 7, 8, 9 };
	printf("unsized count=%zu\n", sizeof unsized / sizeof unsized[0]);
	return 0;
}
