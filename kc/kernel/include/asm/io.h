/* <asm/io.h>: I/O memory (x86). ioremap maps device (or RAM) physical ranges into the vmalloc area
 * with the requested cache type; readb..writeq are plain volatile accesses through that mapping,
 * so they reach the device model's registers (MMIO) or memory with the PTE's caching. */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/types.h>
#include <linux/string.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>

void __iomem *ioremap(resource_size_t offset, unsigned long size);
void __iomem *ioremap_uc(resource_size_t offset, unsigned long size);
void __iomem *ioremap_wc(resource_size_t offset, unsigned long size);
void __iomem *ioremap_cache(resource_size_t offset, unsigned long size);
void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, unsigned long prot_val);
void iounmap(volatile void __iomem *addr);
/* The physical address behind a direct-map or vmalloc/ioremap address. */
phys_addr_t slow_virt_to_phys(void *addr);

static inline u8 readb(const volatile void __iomem *addr) { return *(const volatile u8 *)addr; }
static inline u16 readw(const volatile void __iomem *addr) { return *(const volatile u16 *)addr; }
static inline u32 readl(const volatile void __iomem *addr) { return *(const volatile u32 *)addr; }
static inline u64 readq(const volatile void __iomem *addr) { return *(const volatile u64 *)addr; }
static inline void writeb(u8 value, volatile void __iomem *addr) { *(volatile u8 *)addr = value; }
static inline void writew(u16 value, volatile void __iomem *addr) { *(volatile u16 *)addr = value; }
static inline void writel(u32 value, volatile void __iomem *addr) { *(volatile u32 *)addr = value; }
static inline void writeq(u64 value, volatile void __iomem *addr) { *(volatile u64 *)addr = value; }
#define ioread8(addr) readb(addr)
#define ioread16(addr) readw(addr)
#define ioread32(addr) readl(addr)
#define iowrite8(v, addr) writeb((v), (addr))
#define iowrite16(v, addr) writew((v), (addr))
#define iowrite32(v, addr) writel((v), (addr))

static inline void memcpy_fromio(void *dst, const volatile void __iomem *src, size_t count)
{
	memcpy(dst, (const void *)src, count);
}
static inline void memcpy_toio(volatile void __iomem *dst, const void *src, size_t count)
{
	memcpy((void *)dst, src, count);
}
static inline void memset_io(volatile void __iomem *addr, int value, size_t count)
{
	memset((void *)addr, value, count);
}

/* Direct map only (as on x86: virt_to_phys of a vmalloc address is a bug). */
static inline phys_addr_t virt_to_phys(volatile void *address) { return __pa(address); }
static inline void *phys_to_virt(phys_addr_t address) { return __va(address); }

#endif /* _ASM_X86_IO_H */
