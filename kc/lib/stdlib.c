/*
 * The stateful parts of <stdlib.h> and <string.h> in Faultline's user C library (user code): the
 * environment (getenv over the envp that __libc_start_main saved), strdup/strndup (malloc), glibc's
 * random()/rand() (the TYPE_3 additive feedback generator, state in user memory so fork copies it)
 * and strtok's saved position. Pure computations (strtol, qsort, string functions) are builtins.
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

/* ---- Environment -------------------------------------------------------------------------------- */

char *getenv(const char *name)
{
	size_t length;

	if (__environ == NULL || name == NULL || name[0] == '\0')
		return NULL;
	length = strlen(name);
	for (char **e = __environ; *e != NULL; e++)
		if (strncmp(*e, name, length) == 0 && (*e)[length] == '=')
			return *e + length + 1;
	return NULL;
}

/* ---- Strings that allocate ---------------------------------------------------------------------- */

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);

	if (copy != NULL)
		memcpy(copy, s, n);
	return copy;
}

char *strndup(const char *s, size_t limit)
{
	size_t n = strnlen(s, limit);
	char *copy = malloc(n + 1);

	if (copy != NULL) {
		memcpy(copy, s, n);
		copy[n] = '\0';
	}
	return copy;
}

char *strtok(char *s, const char *delimiters)
{
	static char *saved;

	return strtok_r(s, delimiters, &saved);
}

/* ---- random() ----------------------------------------------------------------------------------- */

#define RANDOM_DEGREE 31
#define RANDOM_SEPARATION 3

/* glibc's random_data for TYPE_3: the table, and the front and rear positions in it. */
static int32_t random_table[RANDOM_DEGREE];
static int random_front;
static int random_rear;
static int random_seeded;
static int random_lock;

/* glibc's random_r: add the rear word into the front word, hand out its top 31 bits. */
static int32_t random_step(void)
{
	uint32_t value = (uint32_t)random_table[random_front] + (uint32_t)random_table[random_rear];

	random_table[random_front] = (int32_t)value;
	if (++random_front >= RANDOM_DEGREE) {
		random_front = 0;
		++random_rear;
	} else if (++random_rear >= RANDOM_DEGREE) {
		random_rear = 0;
	}
	return (int32_t)(value >> 1);
}

/* glibc's srandom_r: a Lehmer sequence (16807 mod 2^31 - 1, Schrage's method) fills the table,
   then 310 outputs are discarded. */
static void random_seed(unsigned int seed)
{
	int32_t word = (int32_t)(seed == 0 ? 1 : seed);

	random_table[0] = word;
	for (int i = 1; i < RANDOM_DEGREE; i++) {
		int32_t hi = word / 127773;
		int32_t lo = word % 127773;
		word = 16807 * lo - 2836 * hi;
		if (word < 0)
			word += 2147483647;
		random_table[i] = word;
	}
	random_front = RANDOM_SEPARATION;
	random_rear = 0;
	for (int i = 0; i < 10 * RANDOM_DEGREE; i++)
		random_step();
	random_seeded = 1;
}

void srandom(unsigned int seed)
{
	__libc_lock(&random_lock);
	random_seed(seed);
	__libc_unlock(&random_lock);
}

/* Before any srandom the state is glibc's initial table, which is the state srandom(1) makes. */
long random(void)
{
	long value;

	__libc_lock(&random_lock);
	if (!random_seeded)
		random_seed(1);
	value = random_step();
	__libc_unlock(&random_lock);
	return value;
}

void srand(unsigned int seed)
{
	srandom(seed);
}

int rand(void)
{
	return (int)random();
}
