// Checks a kernel-style operations table built with designated initializers (vm_operations_struct-like), with missing entries left NULL.
#include <stdio.h>
#include <stddef.h>

struct vm_area_struct;

struct vm_fault {
	unsigned long address;
	unsigned long pgoff;
	int flags;
};

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *area);
	void (*close)(struct vm_area_struct *area);
	int (*fault)(struct vm_fault *vmf);
	int (*page_mkwrite)(struct vm_fault *vmf);
	int (*access)(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write);
	const char *(*name)(struct vm_area_struct *vma);
};

struct vm_area_struct {
	unsigned long vm_start, vm_end;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
	int refs;
};

#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_NOPAGE 0x0100

static void spu_open(struct vm_area_struct *area) { area->refs++; }
static void spu_close(struct vm_area_struct *area) { area->refs--; }

static int spu_fault(struct vm_fault *vmf) {
	if (vmf->pgoff >= 4) return VM_FAULT_SIGBUS;
	printf("  fault at %#lx pgoff %lu\n", vmf->address, vmf->pgoff);
	return VM_FAULT_NOPAGE;
}

static int spu_access(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write) {
	char *store = vma->vm_private_data;
	char *b = buf;
	unsigned long off = addr - vma->vm_start;
	for (int i = 0; i < len; i++) {
		if (write) store[off + i] = b[i];
		else b[i] = store[off + i];
	}
	return len;
}

static const char *spu_name(struct vm_area_struct *vma) { return "[spu-ls]"; }

static const struct vm_operations_struct spu_mem_vmops = {
	.open = spu_open,
	.close = spu_close,
	.fault = spu_fault,
	.access = spu_access,
	.name = spu_name,
};

static const struct vm_operations_struct minimal_vmops = {
	.fault = spu_fault,
};

static int handle_fault(struct vm_area_struct *vma, unsigned long address) {
	struct vm_fault vmf = { .address = address & ~0xfffUL, .pgoff = (address - vma->vm_start) >> 12 };
	if (!vma->vm_ops || !vma->vm_ops->fault) return VM_FAULT_SIGBUS;
	return vma->vm_ops->fault(&vmf);
}

static void describe(const char *label, const struct vm_operations_struct *ops) {
	printf("%s: open=%d close=%d fault=%d mkwrite=%d access=%d name=%d\n", label, ops->open != NULL, ops->close != NULL,
	       ops->fault != NULL, ops->page_mkwrite != NULL, ops->access != NULL, ops->name != NULL);
}

int main(void) {
	static char local_store[64];
	struct vm_area_struct vma = { .vm_start = 0x10000, .vm_end = 0x14000, .vm_ops = &spu_mem_vmops, .vm_private_data = local_store };
	describe("spu_mem_vmops", &spu_mem_vmops);
	describe("minimal_vmops", &minimal_vmops);
	if (vma.vm_ops->open) vma.vm_ops->open(&vma);
	printf("refs after open: %d name=%s\n", vma.refs, vma.vm_ops->name(&vma));
	for (unsigned long a = 0x10010; a < 0x16000; a += 0x1800) {
		int r = handle_fault(&vma, a);
		printf("address %#lx -> %#x\n", a, r);
	}
	char msg[] = "local store";
	int n = vma.vm_ops->access(&vma, 0x10008, msg, sizeof msg, 1);
	char back[16] = { 0 };
	vma.vm_ops->access(&vma, 0x10008, back, n, 0);
	printf("access wrote %d read back '%s'\n", n, back);
	vma.vm_ops = &minimal_vmops;
	printf("minimal access is null: %d, fault: %#x\n", vma.vm_ops->access == NULL, handle_fault(&vma, 0x10000));
	vma.vm_ops = NULL;
	printf("no ops: %#x\n", handle_fault(&vma, 0x10000));
	vma.vm_ops = &spu_mem_vmops;
	vma.vm_ops->close(&vma);
	printf("refs after close: %d offsetof fault=%zu\n", vma.refs, offsetof(struct vm_operations_struct, fault));
	return 0;
}
