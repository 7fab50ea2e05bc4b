// Checks <sys/stat.h>: struct stat (every member), the S_ mode constants and the S_IS* tests.
#define _GNU_SOURCE
#include <sys/stat.h>
#include "print.h"

static const unsigned modes[] = { 0040755, 0020620, 0060660, 0100644, 0010600, 0120777, 0140755, 0 };

int main(void)
{
	CONST(__S_IFMT);
	CONST(__S_IFDIR);
	CONST(__S_IFCHR);
	CONST(__S_IFBLK);
	CONST(__S_IFREG);
	CONST(__S_IFIFO);
	CONST(__S_IFLNK);
	CONST(__S_IFSOCK);
	CONST(S_IFMT);
	CONST(S_IFDIR);
	CONST(S_IFCHR);
	CONST(S_IFBLK);
	CONST(S_IFREG);
	CONST(S_IFIFO);
	CONST(S_IFLNK);
	CONST(S_IFSOCK);
	CONST(__S_ISUID);
	CONST(__S_ISGID);
	CONST(__S_ISVTX);
	CONST(S_ISUID);
	CONST(S_ISGID);
	CONST(S_ISVTX);
	CONST(__S_IREAD);
	CONST(__S_IWRITE);
	CONST(__S_IEXEC);
	CONST(S_IRUSR);
	CONST(S_IWUSR);
	CONST(S_IXUSR);
	CONST(S_IRWXU);
	CONST(S_IRGRP);
	CONST(S_IWGRP);
	CONST(S_IXGRP);
	CONST(S_IRWXG);
	CONST(S_IROTH);
	CONST(S_IWOTH);
	CONST(S_IXOTH);
	CONST(S_IRWXO);
	CONST(S_IREAD);
	CONST(S_IWRITE);
	CONST(S_IEXEC);
	CONST(ACCESSPERMS);
	CONST(ALLPERMS);
	CONST(DEFFILEMODE);
	CONST(S_BLKSIZE);
	CONST(UTIME_NOW);
	CONST(UTIME_OMIT);

	TYPE(struct stat);
	INTMEMBER(struct stat, st_dev);
	INTMEMBER(struct stat, st_ino);
	INTMEMBER(struct stat, st_nlink);
	INTMEMBER(struct stat, st_mode);
	INTMEMBER(struct stat, st_uid);
	INTMEMBER(struct stat, st_gid);
	INTMEMBER(struct stat, st_rdev);
	INTMEMBER(struct stat, st_size);
	INTMEMBER(struct stat, st_blksize);
	INTMEMBER(struct stat, st_blocks);
	MEMBER(struct stat, st_atim);
	MEMBER(struct stat, st_mtim);
	MEMBER(struct stat, st_ctim);
	INTMEMBER(struct stat, st_atime);
	INTMEMBER(struct stat, st_mtime);
	INTMEMBER(struct stat, st_ctime);
	INTMEMBER(struct stat, st_atim.tv_nsec);
	SCALAR(dev_t);
	SCALAR(ino_t);
	SCALAR(nlink_t);
	SCALAR(mode_t);
	SCALAR(uid_t);
	SCALAR(gid_t);
	SCALAR(off_t);
	SCALAR(blksize_t);
	SCALAR(blkcnt_t);
	SCALAR(time_t);

	for (int i = 0; i < (int)(sizeof(modes) / sizeof(modes[0])); i++) {
		unsigned m = modes[i];
		printf("mode %o: dir %d chr %d blk %d reg %d fifo %d lnk %d sock %d\n", m, S_ISDIR(m), S_ISCHR(m), S_ISBLK(m),
			S_ISREG(m), S_ISFIFO(m), S_ISLNK(m), S_ISSOCK(m));
	}
	return 0;
}
