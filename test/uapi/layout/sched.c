// Checks <sched.h>: scheduling policies, clone() flags, struct sched_param, cpu_set_t and the CPU_* macros.
#define _GNU_SOURCE
#include <sched.h>
#include "print.h"

int main(void)
{
	CONST(SCHED_OTHER);
	CONST(SCHED_FIFO);
	CONST(SCHED_RR);
	CONST(SCHED_BATCH);
	CONST(SCHED_ISO);
	CONST(SCHED_IDLE);
	CONST(SCHED_DEADLINE);
	CONST(SCHED_RESET_ON_FORK);
	CONST(CSIGNAL);
	CONST(CLONE_NEWTIME);
	CONST(CLONE_VM);
	CONST(CLONE_FS);
	CONST(CLONE_FILES);
	CONST(CLONE_SIGHAND);
	CONST(CLONE_PIDFD);
	CONST(CLONE_PTRACE);
	CONST(CLONE_VFORK);
	CONST(CLONE_PARENT);
	CONST(CLONE_THREAD);
	CONST(CLONE_NEWNS);
	CONST(CLONE_SYSVSEM);
	CONST(CLONE_SETTLS);
	CONST(CLONE_PARENT_SETTID);
	CONST(CLONE_CHILD_CLEARTID);
	CONST(CLONE_DETACHED);
	CONST(CLONE_UNTRACED);
	CONST(CLONE_CHILD_SETTID);
	CONST(CLONE_NEWCGROUP);
	CONST(CLONE_NEWUTS);
	CONST(CLONE_NEWIPC);
	CONST(CLONE_NEWUSER);
	CONST(CLONE_NEWPID);
	CONST(CLONE_NEWNET);
	CONST(CLONE_IO);
	CONST(__CPU_SETSIZE);
	CONST(CPU_SETSIZE);
	CONST(__NCPUBITS);

	TYPE(struct sched_param);
	INTMEMBER(struct sched_param, sched_priority);
	TYPE(cpu_set_t);
	TYPE(__cpu_mask);
	SCALAR(__cpu_mask);
	SCALAR(pid_t);

	cpu_set_t set;
	CPU_ZERO(&set);
	unsigned long word = CPU_SET(3, &set);
	printf("CPU_SET(3) -> %lu\n", word);
	word = CPU_SET(64, &set);
	printf("CPU_SET(64) -> %lu\n", word);
	word = CPU_SET(1023, &set);
	printf("CPU_SET(1023) -> %lu\n", word);
	word = CPU_SET(1024, &set);
	printf("CPU_SET(1024) -> %lu\n", word);
	word = CPU_CLR(1023, &set);
	printf("CPU_CLR(1023) -> %lu\n", word);
	CONST(CPU_ISSET(3, &set));
	CONST(CPU_ISSET(4, &set));
	CONST(CPU_ISSET(64, &set));
	CONST(CPU_ISSET(1023, &set));
	CONST(CPU_ISSET(5000, &set));
	printf("words: %lu %lu %lu\n", set.__bits[0], set.__bits[1], set.__bits[15]);
	CONST(__CPUELT(130));
	CONST(__CPUMASK(130));
	return 0;
}
