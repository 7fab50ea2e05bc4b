// Where the user C library keeps its mutable state: a region of simulated memory, like glibc's
// .data/.bss (layer: interp).
//
// Invariant: every piece of C library state that changes while a program runs (errno, stream
// buffers and flags, the random() state, the atexit list, strtok's position, the allocator's
// bins) lives in this region or in the heap, never in TypeScript objects. Saving and restoring
// simulated memory therefore saves and restores the C library too (time travel, race exploration).

/** Size of the region, mapped read-write when the host is created. */
export const LIBC_DATA_SIZE = 0x10000;

/** Byte offsets inside the region. */
export const LibcData = {
	/** int: errno of the (single) user thread; `__errno_location()` returns its address. */
	errno: 0x0000,
	/** char *: strtok's saved position. */
	strtokSave: 0x0008,
	/** int32[31]: the TYPE_3 additive feedback table of glibc's random(). */
	randomState: 0x0010,
	/** uint32: index of random()'s front pointer in randomState. */
	randomFront: 0x0090,
	/** uint32: index of random()'s rear pointer. */
	randomRear: 0x0094,
	/** uint32: number of atexit handlers. */
	atexitCount: 0x00a0,
	/** void (*[ATEXIT_MAX])(void): atexit handlers in registration order. */
	atexitTable: 0x00a8,
	/** The allocator's control block (HEAP_CONTROL_SIZE = 544 bytes, see malloc.ts). */
	heap: 0x0200,
	/** The three FILE objects: stdin, stdout, stderr (FILE_SIZE bytes each). */
	files: 0x0800,
	/** stdout's buffer (STDIO_BUFFER_SIZE bytes). */
	stdoutBuffer: 0x1000,
	/** strerror's strings: one STRERROR_SLOT-byte slot per known errno, then one for "Unknown error N". */
	strerror: 0x3000,
	/** unsigned short[384]: glibc's character class table for -128 .. 255 (see ctype.ts). */
	ctypeTable: 0x5400,
	/** const unsigned short *: the address of the table's entry 0; `__ctype_b_loc()` returns this slot's address. */
	ctypeTablePointer: 0x5700,
} as const;

/** glibc guarantees at least 32 atexit registrations. */
export const ATEXIT_MAX = 32;

/** Bytes of one FILE object (see the layout in stdio.ts). */
export const FILE_SIZE = 0x40;

/** glibc sizes a stream buffer by st_blksize, which is 4096 for pipes and most files. */
export const STDIO_BUFFER_SIZE = 4096;

/** Bytes of one strerror string slot; glibc's longest message is 49 characters. */
export const STRERROR_SLOT = 64;
