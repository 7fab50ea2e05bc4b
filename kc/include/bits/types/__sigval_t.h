/* The value a queued signal carries. Not a standard header. */
#ifndef ____sigval_t_defined
#define ____sigval_t_defined 1

union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef union sigval __sigval_t;

#endif
