// Checks the string functions of <string.h>: copies, concatenation, comparisons, searches, tokenizing, duplication.
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void) {
	char buf[64];
	strcpy(buf, "hello");
	strcat(buf, ", ");
	strncat(buf, "world!!!", 5);
	printf("%s (%zu)\n", buf, strlen(buf));
	char padded[8];
	memset(padded, 'x', sizeof padded);
	strncpy(padded, "abc", sizeof padded);
	printf("strncpy pads: %d %d %d\n", padded[3], padded[7], (int)strlen(padded));
	strncpy(padded, "abcdefghij", 4);
	printf("strncpy no terminator: %.6s\n", padded);
	printf("strnlen: %zu %zu\n", strnlen("abcdef", 3), strnlen("ab", 10));
	printf("cmp: %d %d %d %d\n", sign(strcmp("apple", "apricot")), sign(strcmp("b", "a")), strcmp("same", "same"),
	       sign(strncmp("prefix-a", "prefix-b", 7)));
	printf("casecmp: %d %d\n", strcasecmp("HeLLo", "hello"), sign(strncasecmp("ABCx", "abcY", 4)));
	printf("memcmp: %d %d\n", sign(memcmp("\x01\x02", "\x01\x03", 2)), sign(memcmp("\xff", "\x01", 1)));
	const char *path = "/usr/local/lib/libfoo.so";
	printf("strchr: %s\n", strchr(path, 'l'));
	printf("strrchr: %s\n", strrchr(path, '/') + 1);
	printf("strchr nul: %d\n", strchr(path, '\0') == path + strlen(path));
	printf("strstr: %s | %s | %d\n", strstr(path, "lib"), strstr(path, ""), strstr(path, "xyz") == NULL);
	printf("memchr: %td\n", (char *)memchr(path, 'f', strlen(path)) - path);
	printf("spn: %zu %zu\n", strspn("  \t indented", " \t"), strcspn("key=value", "=:"));
	printf("pbrk: %s\n", strpbrk("find the vowel", "aeiou"));
	char csv[] = "alpha,beta,,gamma;delta";
	int count = 0;
	for (char *tok = strtok(csv, ",;"); tok; tok = strtok(NULL, ",;")) printf("tok[%d]=%s\n", count++, tok);
	char line[] = "a=1 b=2 c=3";
	char *save;
	for (char *kv = strtok_r(line, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *inner;
		char *k = strtok_r(kv, "=", &inner);
		char *v = strtok_r(NULL, "=", &inner);
		printf("%s -> %s\n", k, v);
	}
	char *dup = strdup("duplicated");
	dup[0] = 'D';
	char *ndup = strndup("truncate me", 8);
	printf("%s %s %zu\n", dup, ndup, strlen(ndup));
	free(dup);
	free(ndup);
	char overlap[] = "0123456789";
	memmove(overlap + 2, overlap, 5);
	printf("memmove: %s\n", overlap);
	memmove(overlap, overlap + 3, 6);
	printf("memmove back: %s\n", overlap);
	int nums[4] = { 1, 2, 3, 4 }, copy[4];
	memcpy(copy, nums, sizeof nums);
	memset(nums, 0, sizeof nums);
	printf("memcpy: %d %d, memset: %d\n", copy[0], copy[3], nums[2]);
	char *end = stpcpy(buf, "stp");
	end = stpcpy(end, "cpy");
	printf("stpcpy: %s %td\n", buf, end - buf);
	return 0;
}
