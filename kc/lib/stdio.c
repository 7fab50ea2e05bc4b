/*
 * Buffered streams of Faultline's user C library (user code over read/write): FILE, the standard
 * streams, fopen/fdopen/fclose, fflush, setvbuf, the character, line and block I/O functions, fseek
 * and ftell, getline, and the printf family on top of the vsnprintf builtin (the formatting engine
 * stays in TypeScript; the text is formatted into a buffer, then written into the stream).
 *
 * Buffering is glibc's (libio):
 * - A stream's buffer is malloc'd at its first I/O (_IO_file_doallocate): its size is the file's
 *   st_blksize when fstat gives one below BUFSIZ, else 4096 (what a pipe reports); a character
 *   device that is a terminal (TCGETS succeeds) makes the stream line buffered. So stdout is line
 *   buffered on a terminal and fully buffered otherwise; stderr is unbuffered from the start. When
 *   the kernel has no fstat (ENOSYS) the terminal test is made anyway.
 * - Output is copied into the buffer; a fully buffered stream writes when the buffer is full, a
 *   line buffered one after each newline (bytes after the last newline stay buffered), an
 *   unbuffered one at once. What does not fit goes straight to the file in whole buffers
 *   (_IO_new_file_xsputn); until the stream's first output has set up its "put area" (and again
 *   after setvbuf, a seek or reading), nothing counts as free space, so a large first write is
 *   written directly too. Reading from a line buffered or unbuffered stream first flushes stdout
 *   when stdout is line buffered.
 * - End of file is sticky until clearerr (glibc 2.28 and later).
 * - exit() flushes every stream (__stdio_flush_all); _exit, abort and fatal signals do not, and
 *   since the buffers are ordinary user memory, fork duplicates output nobody flushed.
 *
 * Streams are locked (one futex lock each, plus one for the list of streams) once the process has
 * a second thread.
 */
#include "internal.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The size of a buffer when fstat cannot tell (st_blksize of a pipe). */
#define DEFAULT_BUFFER 4096
/* printf formats into a stack buffer of this size; longer text goes through a scratch mapping. */
#define FORMAT_BUFFER 8192

/* The standard streams (glibc's _IO_2_1_stdin_ and friends), statically initialized. */
static FILE stdin_file = { .flags = __F_READ | __F_STATIC, .fd = 0, .ungot = -1 };
static FILE stdout_file = { .flags = __F_WRITE | __F_STATIC, .fd = 1, .ungot = -1 };
static FILE stderr_file = { .flags = __F_WRITE | __F_UNBUF | __F_STATIC, .fd = 2, .ungot = -1 };

/* Every open stream, newest first (glibc's _IO_list_all), and its lock. */
static FILE *all_streams = &stderr_file;
static int list_lock;
static int list_initialized;

/* stdin, stdout and stderr (the headers' macros call this). */
FILE *__faultline_stdio(int fd)
{
	return fd == 0 ? &stdin_file : fd == 1 ? &stdout_file : &stderr_file;
}

/* Links the standard streams into the list of streams (__libc_start_main's stdio set-up; the list
   is also linked on first use, so streams work before it runs). */
void __stdio_init(void)
{
	if (!list_initialized) {
		stderr_file.next = &stdout_file;
		stdout_file.next = &stdin_file;
		list_initialized = 1;
	}
}

static void lock_stream(FILE *f)
{
	__libc_lock(&f->lock);
}

static void unlock_stream(FILE *f)
{
	__libc_unlock(&f->lock);
}

/* ---- Buffers ------------------------------------------------------------------------------------ */

/* glibc's _IO_file_doallocate, plus the buffering mode it decides. */
static void allocate_buffer(FILE *f)
{
	size_t size = DEFAULT_BUFFER;
	struct stat st;
	unsigned char termios[64];
	long r;
	int terminal = 0;

	if (f->buf != NULL)
		return;
	if ((f->flags & __F_UNBUF) != 0) {
		f->buf = f->shortbuf;
		f->size = 1;
		return;
	}
	r = __syscall2(__NR_fstat, f->fd, &st);
	if (!__syscall_failed(r)) {
		if (S_ISCHR(st.st_mode))
			terminal = !__syscall_failed(__syscall3(__NR_ioctl, f->fd, __TCGETS, termios));
		if (st.st_blksize > 0 && st.st_blksize < BUFSIZ)
			size = (size_t)st.st_blksize;
	} else if (r == -ENOSYS) {
		terminal = !__syscall_failed(__syscall3(__NR_ioctl, f->fd, __TCGETS, termios));
	}
	if (terminal)
		f->flags |= __F_LINEBUF;
	f->buf = malloc(size);
	if (f->buf == NULL) {
		/* No memory for a buffer: the stream works unbuffered. */
		f->buf = f->shortbuf;
		f->size = 1;
		f->flags |= __F_UNBUF;
		return;
	}
	f->size = size;
	f->flags |= __F_MYBUF;
}

/* Writes n bytes straight to the file, as many write calls as it takes (glibc's new_do_write). */
static size_t write_direct(FILE *f, const unsigned char *s, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(f->fd, s + done, n - done);
		if (w <= 0) {
			f->flags |= __F_ERR;
			break;
		}
		done += (size_t)w;
	}
	return done;
}

/* Writes the pending output (the put area stays set up); on an error what could not be written
   stays in the buffer. */
static int flush_output(FILE *f)
{
	size_t done;

	if (f->wpos == 0)
		return 0;
	done = write_direct(f, f->buf, f->wpos);
	if (done < f->wpos) {
		memmove(f->buf, f->buf + done, f->wpos - done);
		f->wpos -= done;
		return EOF;
	}
	f->wpos = 0;
	return 0;
}

/* Leaves put mode (glibc's _IO_switch_to_get_mode): pending output is written first. */
static int leave_put_mode(FILE *f)
{
	int r = flush_output(f);

	if (r == 0)
		f->flags &= ~__F_PUTTING;
	return r;
}

/* Gives up read-ahead: the file offset goes back to what the program consumed (glibc's sync of an
   input stream). On a pipe or terminal the bytes cannot be given back and stay buffered. */
static int drop_input(FILE *f)
{
	size_t unread;

	if ((f->flags & __F_GETTING) == 0)
		return 0;
	unread = f->rend - f->rpos + (f->ungot >= 0 ? 1 : 0);
	if (unread != 0) {
		long r = __syscall3(__NR_lseek, f->fd, -(long)unread, SEEK_CUR);
		if (__syscall_failed(r)) {
			if (r == -ESPIPE)
				return 0;
			errno = (int)-r;
			return EOF;
		}
	}
	f->rpos = f->rend = 0;
	f->ungot = -1;
	f->flags &= ~__F_GETTING;
	return 0;
}

/* Checks that a stream may be written, and gives up input read ahead. */
static int prepare_write(FILE *f)
{
	if ((f->flags & __F_WRITE) == 0) {
		f->flags |= __F_ERR;
		errno = EBADF;
		return EOF;
	}
	if ((f->flags & __F_GETTING) != 0) {
		drop_input(f);
		f->rpos = f->rend = 0;
		f->ungot = -1;
		f->flags &= ~__F_GETTING;
	}
	return 0;
}

/* glibc's _IO_new_file_overflow(EOF): the buffer is allocated and the put area set up if they were
   not, and pending output is written. */
static int overflow(FILE *f)
{
	allocate_buffer(f);
	f->flags |= __F_PUTTING;
	return flush_output(f);
}

/*
 * Appends to the buffer as glibc's __overflow does byte by byte: a full buffer is written before
 * more goes in; a line buffered stream writes after each newline, an unbuffered one at once.
 * Returns the bytes taken.
 */
static size_t buffer_bytes(FILE *f, const unsigned char *s, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t chunk = n - done;
		int newline = 0;
		size_t space;

		if ((f->flags & __F_LINEBUF) != 0) {
			const unsigned char *nl = memchr(s + done, '\n', chunk);
			if (nl != NULL) {
				chunk = (size_t)(nl - (s + done)) + 1;
				newline = 1;
			}
		}
		if (f->wpos == f->size && flush_output(f) == EOF)
			return done;
		space = f->size - f->wpos;
		if (chunk > space) {
			chunk = space;
			newline = 0;
		}
		memcpy(f->buf + f->wpos, s + done, chunk);
		f->wpos += chunk;
		done += chunk;
		if ((newline || (f->flags & __F_UNBUF) != 0) && flush_output(f) == EOF)
			return done;
	}
	return done;
}

/* The last newline in s[0, n), or NULL. */
static const unsigned char *last_newline(const unsigned char *s, size_t n)
{
	const unsigned char *last = NULL;
	const unsigned char *p = s;
	const unsigned char *end = s + n;

	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		last = nl;
		p = nl + 1;
	}
	return last;
}

/* glibc's _IO_new_file_xsputn: fill the free space of the put area, flush, write whole blocks
   directly, buffer the rest. A line buffered stream takes up to its last newline and flushes; an
   unbuffered one (or one whose put area is not set up) has no free space. Returns the bytes taken
   (fewer after a write error). Called with the stream locked. */
static size_t put_bytes(FILE *f, const void *data, size_t n)
{
	const unsigned char *s = data;
	size_t count = 0;
	size_t to_do = n;
	int must_flush = 0;

	if (n == 0)
		return 0;
	if (prepare_write(f) == EOF)
		return 0;
	if ((f->flags & __F_PUTTING) != 0 && (f->flags & __F_LINEBUF) != 0) {
		count = f->size - f->wpos;
		if (count >= n) {
			const unsigned char *nl = last_newline(s, n);
			if (nl != NULL) {
				count = (size_t)(nl - s) + 1;
				must_flush = 1;
			}
		}
	} else if ((f->flags & __F_PUTTING) != 0 && (f->flags & __F_UNBUF) == 0) {
		count = f->size - f->wpos;
	}
	if (count > to_do)
		count = to_do;
	if (count > 0) {
		memcpy(f->buf + f->wpos, s, count);
		f->wpos += count;
		s += count;
		to_do -= count;
	}
	if (to_do + must_flush > 0) {
		size_t block;
		size_t direct;

		if (overflow(f) == EOF)
			return n - to_do;
		block = f->size;
		direct = to_do - (block >= 128 ? to_do % block : 0);
		if (direct > 0) {
			size_t written = write_direct(f, s, direct);
			to_do -= written;
			if (written < direct)
				return n - to_do;
			s += direct;
		}
		if (to_do > 0)
			to_do -= buffer_bytes(f, s, to_do);
	}
	return n - to_do;
}

static int put_byte(FILE *f, int c)
{
	unsigned char byte = (unsigned char)c;

	if (prepare_write(f) == EOF)
		return EOF;
	if ((f->flags & __F_PUTTING) == 0 && overflow(f) == EOF)
		return EOF;
	if (buffer_bytes(f, &byte, 1) != 1)
		return EOF;
	return byte;
}

/* ---- Input -------------------------------------------------------------------------------------- */

/* glibc's underflow: reads the next buffer full. Returns 0, or EOF at end of file or on an error. */
static int fill_buffer(FILE *f)
{
	ssize_t n;

	if ((f->flags & __F_READ) == 0) {
		f->flags |= __F_ERR;
		errno = EBADF;
		return EOF;
	}
	if ((f->flags & __F_EOF) != 0)
		return EOF;
	if ((f->flags & __F_PUTTING) != 0 && leave_put_mode(f) == EOF)
		return EOF;
	allocate_buffer(f);
	/* Reading from a terminal-like stream shows what stdout has buffered first. */
	if ((f->flags & (__F_LINEBUF | __F_UNBUF)) != 0 && f != &stdout_file) {
		FILE *out = &stdout_file;
		if ((out->flags & (__F_LINEBUF | __F_PUTTING)) == (__F_LINEBUF | __F_PUTTING) && out->wpos > 0) {
			lock_stream(out);
			flush_output(out);
			unlock_stream(out);
		}
	}
	n = read(f->fd, f->buf, f->size);
	if (n <= 0) {
		f->flags |= n == 0 ? __F_EOF : __F_ERR;
		f->rpos = f->rend = 0;
		return EOF;
	}
	f->rpos = 0;
	f->rend = (size_t)n;
	f->flags |= __F_GETTING;
	return 0;
}

static int get_byte(FILE *f)
{
	int c;

	if (f->ungot >= 0) {
		c = f->ungot;
		f->ungot = -1;
		return c;
	}
	if ((f->flags & __F_GETTING) == 0 || f->rpos >= f->rend) {
		if (fill_buffer(f) == EOF)
			return EOF;
	}
	return f->buf[f->rpos++];
}

/* Reads up to n bytes (fewer only at end of file or on an error). Large reads bypass the buffer,
   as glibc's _IO_file_xsgetn. */
static size_t get_bytes(FILE *f, unsigned char *s, size_t n)
{
	size_t done = 0;

	if (n > 0 && f->ungot >= 0) {
		s[done++] = (unsigned char)f->ungot;
		f->ungot = -1;
	}
	while (done < n) {
		size_t have = (f->flags & __F_GETTING) != 0 ? f->rend - f->rpos : 0;
		if (have > 0) {
			size_t take = have < n - done ? have : n - done;
			memcpy(s + done, f->buf + f->rpos, take);
			f->rpos += take;
			done += take;
			continue;
		}
		if ((f->flags & __F_READ) == 0) {
			f->flags |= __F_ERR;
			errno = EBADF;
			break;
		}
		allocate_buffer(f);
		if (n - done >= f->size && (f->flags & __F_EOF) == 0 && f->size > 1) {
			ssize_t r;
			if ((f->flags & __F_PUTTING) != 0 && leave_put_mode(f) == EOF)
				break;
			r = read(f->fd, s + done, n - done);
			if (r <= 0) {
				f->flags |= r == 0 ? __F_EOF : __F_ERR;
				break;
			}
			done += (size_t)r;
			continue;
		}
		if (fill_buffer(f) == EOF)
			break;
	}
	return done;
}

/* ---- The list of streams ------------------------------------------------------------------------ */

static void link_stream(FILE *f)
{
	__libc_lock(&list_lock);
	__stdio_init();
	f->next = all_streams;
	all_streams = f;
	__libc_unlock(&list_lock);
}

static void unlink_stream(FILE *f)
{
	__libc_lock(&list_lock);
	__stdio_init();
	for (FILE **p = &all_streams; *p != NULL; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	__libc_unlock(&list_lock);
}

int __stdio_flush_all(void)
{
	int result = 0;

	__libc_lock(&list_lock);
	__stdio_init();
	for (FILE *f = all_streams; f != NULL; f = f->next) {
		lock_stream(f);
		if (flush_output(f) == EOF)
			result = EOF;
		unlock_stream(f);
	}
	__libc_unlock(&list_lock);
	return result;
}

void __stdio_fork_prepare(void)
{
	__libc_lock(&list_lock);
}

void __stdio_fork_parent(void)
{
	__libc_unlock(&list_lock);
}

void __stdio_fork_child(void)
{
	list_lock = 0;
	__stdio_init();
	for (FILE *f = all_streams; f != NULL; f = f->next)
		f->lock = 0;
}

/* ---- Opening and closing ------------------------------------------------------------------------ */

/* fopen's mode string: the open flags and the stream's flags; -1 for a bad mode. */
static int parse_mode(const char *mode, int *stream_flags)
{
	int flags;

	switch (*mode) {
	case 'r':
		flags = O_RDONLY;
		*stream_flags = __F_READ;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		*stream_flags = __F_WRITE;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		*stream_flags = __F_WRITE | __F_APPEND;
		break;
	default:
		return -1;
	}
	for (const char *m = mode + 1; *m != '\0' && m < mode + 7; m++) {
		if (*m == '+') {
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			*stream_flags |= __F_READ | __F_WRITE;
		} else if (*m == 'x') {
			flags |= O_EXCL;
		} else if (*m == 'e') {
			flags |= O_CLOEXEC;
		}
	}
	return flags;
}

static FILE *new_stream(int fd, int stream_flags)
{
	FILE *f = malloc(sizeof(FILE));

	if (f == NULL)
		return NULL;
	memset(f, 0, sizeof(FILE));
	f->fd = fd;
	f->flags = stream_flags;
	f->ungot = -1;
	link_stream(f);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int stream_flags;
	int flags = parse_mode(mode, &stream_flags);
	int fd;
	FILE *f;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	f = new_stream(fd, stream_flags);
	if (f == NULL)
		close(fd);
	return f;
}

/* fdopen checks the mode against the descriptor's (F_GETFL) and sets O_APPEND for "a"; a kernel
   without fcntl (ENOSYS) is trusted. */
FILE *fdopen(int fd, const char *mode)
{
	int stream_flags;
	int flags = parse_mode(mode, &stream_flags);
	long fd_flags;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd_flags = __syscall2(__NR_fcntl, fd, F_GETFL);
	if (__syscall_failed(fd_flags) && fd_flags != -ENOSYS) {
		errno = (int)-fd_flags;
		return NULL;
	}
	if (!__syscall_failed(fd_flags)) {
		int access = (int)fd_flags & O_ACCMODE;
		if (((stream_flags & __F_READ) != 0 && access == O_WRONLY) || ((stream_flags & __F_WRITE) != 0 && access == O_RDONLY)) {
			errno = EINVAL;
			return NULL;
		}
		if ((flags & O_APPEND) != 0 && (fd_flags & O_APPEND) == 0)
			__syscall3(__NR_fcntl, fd, F_SETFL, fd_flags | O_APPEND);
	}
	return new_stream(fd, stream_flags);
}

int fclose(FILE *f)
{
	int result = 0;

	lock_stream(f);
	if (flush_output(f) == EOF)
		result = EOF;
	else if ((f->flags & __F_GETTING) != 0)
		drop_input(f);
	if (f->fd >= 0 && close(f->fd) < 0)
		result = EOF;
	if ((f->flags & __F_MYBUF) != 0)
		free(f->buf);
	f->buf = NULL;
	f->size = f->wpos = f->rpos = f->rend = 0;
	f->fd = -1;
	unlock_stream(f);
	if ((f->flags & __F_STATIC) != 0) {
		/* A closed standard stream stays in place, usable by nothing. */
		f->flags = __F_STATIC;
		return result;
	}
	unlink_stream(f);
	free(f);
	return result;
}

int fflush(FILE *f)
{
	int result = 0;

	if (f == NULL)
		return __stdio_flush_all();
	lock_stream(f);
	if (f->wpos > 0)
		result = flush_output(f);
	else if ((f->flags & __F_GETTING) != 0)
		result = drop_input(f);
	unlock_stream(f);
	return result;
}

/*
 * setvbuf as glibc's _IO_setvbuf: _IOLBF without a buffer only switches the mode (the current
 * buffer stays, even the one byte of an unbuffered stream); _IOFBF without a buffer allocates one
 * now if there is none (so a terminal does not turn it line buffered later); otherwise pending
 * output is written and the given buffer (or, for _IONBF, the one-byte buffer) replaces the old one.
 */
int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	int result = 0;

	lock_stream(f);
	switch (mode) {
	case _IOFBF:
		f->flags &= ~__F_LINEBUF;
		if (buf == NULL) {
			if (f->buf == NULL) {
				allocate_buffer(f);
				f->flags &= ~__F_LINEBUF;
			}
			unlock_stream(f);
			return 0;
		}
		break;
	case _IOLBF:
		f->flags &= ~__F_UNBUF;
		f->flags |= __F_LINEBUF;
		if (buf == NULL) {
			unlock_stream(f);
			return 0;
		}
		break;
	case _IONBF:
		f->flags &= ~__F_LINEBUF;
		f->flags |= __F_UNBUF;
		buf = NULL;
		size = 0;
		break;
	default:
		unlock_stream(f);
		return EOF;
	}
	if (flush_output(f) == EOF || drop_input(f) == EOF) {
		unlock_stream(f);
		return EOF;
	}
	if ((f->flags & __F_MYBUF) != 0)
		free(f->buf);
	f->flags &= ~(__F_MYBUF | __F_PUTTING | __F_GETTING);
	f->wpos = f->rpos = f->rend = 0;
	if (buf == NULL || size == 0) {
		f->flags |= __F_UNBUF;
		f->buf = f->shortbuf;
		f->size = 1;
	} else {
		f->flags &= ~__F_UNBUF;
		f->buf = (unsigned char *)buf;
		f->size = size;
	}
	unlock_stream(f);
	return result;
}

void setbuf(FILE *f, char *buf)
{
	setvbuf(f, buf, buf != NULL ? _IOFBF : _IONBF, BUFSIZ);
}

void setbuffer(FILE *f, char *buf, size_t size)
{
	setvbuf(f, buf, buf != NULL ? _IOFBF : _IONBF, size);
}

void setlinebuf(FILE *f)
{
	setvbuf(f, NULL, _IOLBF, 0);
}

/* ---- Status ------------------------------------------------------------------------------------- */

int feof(FILE *f)
{
	return (f->flags & __F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & __F_ERR) != 0;
}

void clearerr(FILE *f)
{
	f->flags &= ~(__F_EOF | __F_ERR);
}

int fileno(FILE *f)
{
	if (f->fd < 0) {
		errno = EBADF;
		return -1;
	}
	return f->fd;
}

/* ---- Output ------------------------------------------------------------------------------------- */

size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f)
{
	size_t request;
	size_t written;

	if (__builtin_mul_overflow(size, n, &request) || request == 0)
		return 0;
	lock_stream(f);
	written = put_bytes(f, ptr, request);
	unlock_stream(f);
	return written == request ? n : written / size;
}

int fputc(int c, FILE *f)
{
	int r;

	lock_stream(f);
	r = put_byte(f, c);
	unlock_stream(f);
	return r;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, &stdout_file);
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);
	int r;

	lock_stream(f);
	r = put_bytes(f, s, n) == n ? 1 : EOF;
	unlock_stream(f);
	return r;
}

int puts(const char *s)
{
	size_t n = strlen(s);
	FILE *f = &stdout_file;
	int r = EOF;

	lock_stream(f);
	if (put_bytes(f, s, n) == n && put_byte(f, '\n') != EOF)
		r = n + 1 > 2147483647 ? 2147483647 : (int)(n + 1);
	unlock_stream(f);
	return r;
}

/* ---- Input -------------------------------------------------------------------------------------- */

int fgetc(FILE *f)
{
	int c;

	lock_stream(f);
	c = get_byte(f);
	unlock_stream(f);
	return c;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(&stdin_file);
}

/* One byte goes back: into the buffer when it is the byte just read, else into the pushback slot. */
int ungetc(int c, FILE *f)
{
	int r = EOF;

	if (c == EOF)
		return EOF;
	lock_stream(f);
	if ((f->flags & __F_GETTING) != 0 && f->rpos > 0 && f->ungot < 0 && f->buf[f->rpos - 1] == (unsigned char)c) {
		f->rpos--;
		r = (unsigned char)c;
	} else if (f->ungot < 0 && (f->flags & __F_READ) != 0) {
		if ((f->flags & __F_PUTTING) != 0)
			leave_put_mode(f);
		f->ungot = (unsigned char)c;
		f->flags |= __F_GETTING;
		r = (unsigned char)c;
	}
	if (r != EOF)
		f->flags &= ~__F_EOF;
	unlock_stream(f);
	return r;
}

size_t fread(void *ptr, size_t size, size_t n, FILE *f)
{
	size_t request;
	size_t got;

	if (__builtin_mul_overflow(size, n, &request) || request == 0)
		return 0;
	lock_stream(f);
	got = get_bytes(f, ptr, request);
	unlock_stream(f);
	return got == request ? n : got / size;
}

char *fgets(char *s, int n, FILE *f)
{
	size_t done = 0;
	char *result = s;

	if (n <= 0) {
		errno = EINVAL;
		return NULL;
	}
	if (n == 1) {
		s[0] = '\0';
		return s;
	}
	lock_stream(f);
	while (done < (size_t)n - 1) {
		size_t have;
		if (f->ungot >= 0) {
			int c = f->ungot;
			f->ungot = -1;
			s[done++] = (char)c;
			if (c == '\n')
				break;
			continue;
		}
		have = (f->flags & __F_GETTING) != 0 ? f->rend - f->rpos : 0;
		if (have == 0) {
			if (fill_buffer(f) == EOF)
				break;
			continue;
		}
		{
			size_t room = (size_t)n - 1 - done;
			size_t take = have < room ? have : room;
			const unsigned char *nl = memchr(f->buf + f->rpos, '\n', take);
			if (nl != NULL)
				take = (size_t)(nl - (f->buf + f->rpos)) + 1;
			memcpy(s + done, f->buf + f->rpos, take);
			f->rpos += take;
			done += take;
			if (nl != NULL)
				break;
		}
	}
	if (done == 0 || ((f->flags & __F_ERR) != 0 && errno != EAGAIN))
		result = NULL;
	else
		s[done] = '\0';
	unlock_stream(f);
	return result;
}

/* getdelim: reads up to and including `delimiter` into a malloc'd line grown as needed. */
ssize_t getdelim(char **line, size_t *capacity, int delimiter, FILE *f)
{
	size_t done = 0;

	if (line == NULL || capacity == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (*line == NULL || *capacity == 0) {
		*capacity = 120;
		*line = malloc(*capacity);
		if (*line == NULL) {
			errno = ENOMEM;
			return -1;
		}
	}
	lock_stream(f);
	for (;;) {
		int c = get_byte(f);
		if (c == EOF)
			break;
		if (done + 2 > *capacity) {
			size_t bigger = *capacity * 2;
			char *grown = realloc(*line, bigger);
			if (grown == NULL) {
				unlock_stream(f);
				errno = ENOMEM;
				return -1;
			}
			*line = grown;
			*capacity = bigger;
		}
		(*line)[done++] = (char)c;
		if (c == delimiter)
			break;
	}
	unlock_stream(f);
	if (done == 0)
		return -1;
	(*line)[done] = '\0';
	return (ssize_t)done;
}

ssize_t getline(char **line, size_t *capacity, FILE *f)
{
	return getdelim(line, capacity, '\n', f);
}

/* ---- Positioning -------------------------------------------------------------------------------- */

int fseeko(FILE *f, off_t offset, int whence)
{
	long r;

	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
		errno = EINVAL;
		return -1;
	}
	lock_stream(f);
	if ((f->flags & __F_PUTTING) != 0 && leave_put_mode(f) == EOF) {
		unlock_stream(f);
		return -1;
	}
	if (whence == SEEK_CUR && (f->flags & __F_GETTING) != 0)
		offset -= (off_t)(f->rend - f->rpos) + (f->ungot >= 0 ? 1 : 0);
	r = lseek(f->fd, offset, whence);
	if (r >= 0) {
		f->rpos = f->rend = 0;
		f->ungot = -1;
		f->flags &= ~(__F_GETTING | __F_EOF);
	}
	unlock_stream(f);
	return r < 0 ? -1 : 0;
}

int fseek(FILE *f, long offset, int whence)
{
	return fseeko(f, offset, whence);
}

off_t ftello(FILE *f)
{
	off_t position;

	lock_stream(f);
	position = lseek(f->fd, 0, (f->flags & __F_APPEND) != 0 && f->wpos > 0 ? SEEK_END : SEEK_CUR);
	if (position >= 0) {
		if ((f->flags & __F_GETTING) != 0)
			position -= (off_t)(f->rend - f->rpos) + (f->ungot >= 0 ? 1 : 0);
		position += (off_t)f->wpos;
	}
	unlock_stream(f);
	return position;
}

long ftell(FILE *f)
{
	return ftello(f);
}

void rewind(FILE *f)
{
	fseeko(f, 0, SEEK_SET);
	clearerr(f);
}

int remove(const char *path)
{
	return unlink(path);
}

/* ---- printf ------------------------------------------------------------------------------------- */

/* Formats into `small` or, when the text is longer, into a scratch mapping (not the heap, so the
   program's allocations are as they would be). Returns the length, or -1; *text and *scratch say
   where the text is and what to unmap. */
static int format_text(char *small, const char *format, va_list ap, char **text, size_t *scratch)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, FORMAT_BUFFER, format, ap);
	*text = small;
	*scratch = 0;
	if (n >= FORMAT_BUFFER) {
		size_t size = ((size_t)n + 1 + 4095) & ~4095UL;
		char *big = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (big == MAP_FAILED) {
			va_end(again);
			return -1;
		}
		vsnprintf(big, (size_t)n + 1, format, again);
		*text = big;
		*scratch = size;
	}
	va_end(again);
	return n;
}

/* Puts formatted text into a locked stream; 0, or -1 when it could not all be put. */
static int put_text(FILE *f, const char *text, size_t n)
{
	return put_bytes(f, text, n) == n ? 0 : -1;
}

/* Formats the whole call and puts it as one piece, in 8 KiB chunks: glibc's buffered_vfprintf for
   an unbuffered stream (a helper buffer that is handed on whenever it fills), and the fallback for
   formats with positional arguments. Returns the length or -1. */
static int print_whole(FILE *f, const char *format, va_list ap)
{
	char small[FORMAT_BUFFER];
	char *text;
	size_t scratch;
	int n = format_text(small, format, ap, &text, &scratch);
	int result = n;

	if (n < 0)
		return -1;
	for (size_t done = 0; done < (size_t)n && result >= 0; done += FORMAT_BUFFER) {
		size_t chunk = (size_t)n - done < FORMAT_BUFFER ? (size_t)n - done : FORMAT_BUFFER;
		if (put_text(f, text + done, chunk) < 0)
			result = -1;
	}
	if (scratch != 0)
		munmap(text, scratch);
	return result;
}

/* Whether a format numbers its arguments (%2$s, %*1$d): glibc requires all or none to. */
static int positional(const char *format)
{
	for (const char *p = strchr(format, '%'); p != NULL; p = strchr(p, '%')) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		while (*p != '\0' && *p != '$' && (*p < 'A' || *p == '*' || *p == '.' || *p == '\'') && *p != '%')
			p++;
		if (*p == '$')
			return 1;
	}
	return 0;
}

/* Stores printf's count for %n through the next argument, at the size its length modifier says. */
static void store_count(va_list *args, const char *length, int count)
{
	void *target = va_arg(*args, void *);

	if (length[0] == 'h' && length[1] == 'h')
		*(signed char *)target = (signed char)count;
	else if (length[0] == 'h')
		*(short *)target = (short)count;
	else if (length[0] == 'l' || length[0] == 'L' || length[0] == 'q' || length[0] == 'j' || length[0] == 'z' || length[0] == 'Z' || length[0] == 't')
		*(long *)target = count;
	else
		*(int *)target = count;
}

/*
 * glibc's vfprintf puts its output piece by piece (outstring): each run of literal text, then each
 * conversion's text. Buffering acts on those pieces (a line buffered stream writes at the last
 * newline of a piece; a piece larger than the buffer goes out directly), so the pieces decide where
 * write(2) calls fall; this walks the format the same way and formats one conversion at a time
 * with the vsnprintf builtin, moving along the 8-byte argument slots of the va_list (one per
 * conversion, one per `*`). Returns the number of characters or -1. Formats with positional
 * arguments (%1$d) are formatted whole by the caller.
 */
static int print_pieces(FILE *f, const char *format, va_list ap)
{
	va_list args;
	const char *p = format;
	int total = 0;

	va_copy(args, ap);
	while (*p != '\0') {
		const char *percent = strchr(p, '%');
		const char *q;
		const char *length;
		char spec[64];
		char piece[256];
		char conversion;
		int slots = 0;
		int n;

		if (percent != p) {
			size_t literal = percent != NULL ? (size_t)(percent - p) : strlen(p);
			if (put_text(f, p, literal) < 0)
				goto failed;
			total += (int)literal;
			p += literal;
			continue;
		}
		/* A conversion: %[flags][width][.precision][length]conversion. */
		q = p + 1;
		while (*q == '-' || *q == '+' || *q == ' ' || *q == '#' || *q == '0' || *q == '\'' || *q == 'I')
			q++;
		if (*q == '*') {
			slots++;
			q++;
		}
		while (*q >= '0' && *q <= '9')
			q++;
		if (*q == '.') {
			q++;
			if (*q == '*') {
				slots++;
				q++;
			}
			while (*q >= '0' && *q <= '9')
				q++;
		}
		length = q;
		while (*q == 'h' || *q == 'l' || *q == 'L' || *q == 'q' || *q == 'j' || *q == 'z' || *q == 'Z' || *q == 't')
			q++;
		conversion = *q;
		if (conversion == '\0' || (size_t)(q + 1 - p) >= sizeof spec)
			goto rest;
		q++;
		if (conversion == 'n') {
			for (int i = 0; i < slots; i++)
				(void)va_arg(args, long);
			store_count(&args, length, total);
			p = q;
			continue;
		}
		if (conversion != '%' && conversion != 'm')
			slots++;
		memcpy(spec, p, (size_t)(q - p));
		spec[q - p] = '\0';
		n = vsnprintf(piece, sizeof piece, spec, args);
		if (n < 0)
			goto failed;
		if ((size_t)n < sizeof piece) {
			if (put_text(f, piece, (size_t)n) < 0)
				goto failed;
		} else {
			/* A long conversion (a long string, a wide field): formatted in a scratch mapping. */
			size_t size = ((size_t)n + 1 + 4095) & ~4095UL;
			char *big = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			int failed;
			if (big == MAP_FAILED)
				goto failed;
			vsnprintf(big, (size_t)n + 1, spec, args);
			failed = put_text(f, big, (size_t)n) < 0;
			munmap(big, size);
			if (failed)
				goto failed;
		}
		for (int i = 0; i < slots; i++)
			(void)va_arg(args, long);
		total += n;
		p = q;
	}
	va_end(args);
	return total;
rest:
	/* Something this walk does not take apart (a spec too long, a lone % at the end): the rest of
	   the format as one piece. */
	{
		int n = print_whole(f, p, args);
		va_end(args);
		return n < 0 ? -1 : total + n;
	}
failed:
	va_end(args);
	return -1;
}

int vfprintf(FILE *f, const char *format, va_list ap)
{
	int result;

	lock_stream(f);
	if ((f->flags & __F_WRITE) == 0) {
		f->flags |= __F_ERR;
		errno = EBADF;
		unlock_stream(f);
		return -1;
	}
	if ((f->flags & __F_UNBUF) != 0 || positional(format))
		result = print_whole(f, format, ap);
	else
		result = print_pieces(f, format, ap);
	unlock_stream(f);
	return result;
}

int vprintf(const char *format, va_list ap)
{
	return vfprintf(&stdout_file, format, ap);
}

int fprintf(FILE *f, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vfprintf(f, format, ap);
	va_end(ap);
	return n;
}

int printf(const char *format, ...)
{
	va_list ap;
	int n;

	/* gcc compiles printf("text\n") (no conversions) as puts("text"): the text is put, then the
	   newline on its own, which a line buffered stream writes separately from text up to an
	   earlier newline. The same calls here give the same write(2) calls. */
	if (strchr(format, '%') == NULL) {
		size_t length = strlen(format);
		if (length > 0 && format[length - 1] == '\n') {
			FILE *f = &stdout_file;
			int r = (int)length;
			lock_stream(f);
			if (put_bytes(f, format, length - 1) != length - 1 || put_byte(f, '\n') == EOF)
				r = -1;
			unlock_stream(f);
			return r;
		}
	}
	va_start(ap, format);
	n = vfprintf(&stdout_file, format, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *format, va_list ap)
{
	char small[FORMAT_BUFFER];
	char *text;
	size_t scratch;
	int n = format_text(small, format, ap, &text, &scratch);
	size_t done = 0;

	if (n < 0)
		return -1;
	while (done < (size_t)n) {
		ssize_t w = write(fd, text + done, (size_t)n - done);
		if (w <= 0) {
			n = -1;
			break;
		}
		done += (size_t)w;
	}
	if (scratch != 0)
		munmap(text, scratch);
	return n;
}

int dprintf(int fd, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vdprintf(fd, format, ap);
	va_end(ap);
	return n;
}

int vasprintf(char **result, const char *format, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, format, ap);
	if (n < 0) {
		va_end(again);
		return -1;
	}
	*result = malloc((size_t)n + 1);
	if (*result == NULL) {
		va_end(again);
		return -1;
	}
	vsnprintf(*result, (size_t)n + 1, format, again);
	va_end(again);
	return n;
}

int asprintf(char **result, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vasprintf(result, format, ap);
	va_end(ap);
	return n;
}

/* perror: "s: message\n" in one write on stderr (the message is strerror's, errno unchanged). */
void perror(const char *s)
{
	int errnum = errno;
	const char *colon = ": ";
	const char *message;
	FILE *f = &stderr_file;

	if (s == NULL || *s == '\0')
		s = colon = "";
	message = strerror(errnum);
	fprintf(f, "%s%s%s\n", s, colon, message);
	errno = errnum;
}
