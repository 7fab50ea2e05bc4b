// Checks switch: fall-through, GNU case ranges, default in the middle, nested switches, switch on char and on long.
#include <stdio.h>

static const char *classify(int c) {
	switch (c) {
	case '0' ... '9':
		return "digit";
	case 'a' ... 'z':
	case 'A' ... 'Z':
		return "letter";
	case ' ':
	case '\t':
	case '\n':
		return "space";
	default:
		return "other";
	}
}

static int fallthrough(int n) {
	int acc = 0;
	switch (n) {
	case 4:
		acc += 1000;
		/* fall through */
	case 3:
		acc += 100;
		/* fall through */
	case 2:
		acc += 10;
		break;
	default:
		acc = -1;
		/* fall through */
	case 1:
		acc += 1;
	}
	return acc;
}

static const char *grade(int score) {
	switch (score / 10) {
	case 10:
	case 9: return "A";
	case 8: return "B";
	case 7: return "C";
	case 0 ... 6: return "F";
	}
	return "invalid";
}

static int duff(int count) {
	int total = 0;
	int n = (count + 3) / 4;
	switch (count % 4) {
	case 0: do { total++;
	case 3: total++;
	case 2: total++;
	case 1: total++;
		} while (--n > 0);
	}
	return total;
}

int main(void) {
	const char *text = "a1 Z?\t9";
	for (const char *p = text; *p; p++) printf("'%c' %s\n", *p == '\t' ? 't' : *p, classify(*p));
	for (int i = 0; i <= 5; i++) printf("fallthrough(%d)=%d\n", i, fallthrough(i));
	int scores[] = { 100, 95, 85, 72, 10, 0, 150, -5 };
	for (int i = 0; i < 8; i++) printf("grade(%d)=%s\n", scores[i], grade(scores[i]));
	for (int i = 1; i <= 9; i += 4) printf("duff(%d)=%d\n", i, duff(i));
	long big = 5000000000L;
	switch (big) {
	case 5000000000L: printf("long case matched\n"); break;
	default: printf("long case missed\n");
	}
	for (int outer = 0; outer < 2; outer++) {
		switch (outer) {
		case 0:
			for (int inner = 0; inner < 3; inner++) {
				switch (inner) {
				case 1: continue;
				default: printf("outer %d inner %d\n", outer, inner);
				}
			}
			break;
		case 1:
			printf("outer 1\n");
			break;
		}
	}
	unsigned char u = 200;
	switch (u) {
	case 200: printf("unsigned char 200\n"); break;
	case -56: printf("never: u promotes to int 200\n"); break;
	}
	return 0;
}
