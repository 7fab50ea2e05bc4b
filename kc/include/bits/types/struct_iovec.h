/* struct iovec (one buffer of a scatter/gather list) for Faultline's user headers. Not a standard
   header. */
#ifndef __iovec_defined
#define __iovec_defined 1

struct iovec {
	void *iov_base;
	unsigned long iov_len;
};

#endif
