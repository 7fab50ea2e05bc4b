// Checks structs: passing and returning by value, nesting, arrays of structs, assignment, padding and sizeof.
#include <stdio.h>
#include <string.h>

struct point {
	int x, y;
};

struct rect {
	struct point min, max;
	const char *name;
};

struct padded {
	char c;
	double d;
	short s;
};

struct big {
	long values[8];
	char tag[12];
};

static struct point add(struct point a, struct point b) {
	struct point r = { a.x + b.x, a.y + b.y };
	return r;
}

static int area(struct rect r) {
	return (r.max.x - r.min.x) * (r.max.y - r.min.y);
}

static void grow(struct rect *r, int by) {
	r->min.x -= by;
	r->min.y -= by;
	r->max.x += by;
	r->max.y += by;
}

static struct big make_big(int seed) {
	struct big b;
	for (int i = 0; i < 8; i++) b.values[i] = (long)seed * (i + 1);
	strcpy(b.tag, "big-struct");
	return b;
}

static long sum_big(struct big b) {
	long s = 0;
	for (int i = 0; i < 8; i++) s += b.values[i];
	b.values[0] = 999; /* modifies the copy only */
	return s;
}

int main(void) {
	struct point p = { 1, 2 }, q = { .y = 10, .x = 20 };
	struct point r = add(p, q);
	printf("add: %d %d\n", r.x, r.y);
	struct rect box = { { 0, 0 }, { 4, 3 }, "box" };
	printf("area %s: %d\n", box.name, area(box));
	grow(&box, 1);
	printf("grown: (%d,%d)-(%d,%d) area %d\n", box.min.x, box.min.y, box.max.x, box.max.y, area(box));
	struct rect copy = box;
	copy.max.x = 100;
	printf("copy independent: %d %d\n", box.max.x, copy.max.x);
	printf("sizeof point=%zu rect=%zu padded=%zu big=%zu\n", sizeof(struct point), sizeof(struct rect), sizeof(struct padded), sizeof(struct big));

	struct point poly[4] = { { 0, 0 }, { 2, 0 }, { 2, 2 }, [3] = { 0, 2 } };
	int perimeter = 0;
	for (int i = 0; i < 4; i++) {
		struct point a = poly[i], b = poly[(i + 1) % 4];
		perimeter += (a.x > b.x ? a.x - b.x : b.x - a.x) + (a.y > b.y ? a.y - b.y : b.y - a.y);
	}
	printf("perimeter=%d\n", perimeter);

	struct big b = make_big(3);
	printf("sum_big=%ld first still %ld tag=%s\n", sum_big(b), b.values[0], b.tag);
	struct big *bp = &b;
	bp->values[7] = -1;
	printf("via pointer: %ld %c\n", b.values[7], bp->tag[4]);

	struct {
		int id;
		struct {
			char first[8];
			char last[8];
		} name;
	} person = { 7, { "Ada", "Lovelace" } };
	printf("anon: %d %s %s\n", person.id, person.name.first, person.name.last);
	struct point pts[2];
	memset(pts, 0, sizeof pts);
	pts[1] = (struct point){ 5, 6 };
	printf("pts: %d %d %d %d\n", pts[0].x, pts[0].y, pts[1].x, pts[1].y);
	printf("equal fields: %d\n", memcmp(&pts[1], &(struct point){ 5, 6 }, sizeof(struct point)) == 0);
	return 0;
}
