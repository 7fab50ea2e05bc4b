/* <linux/version.h> for the Faultline KC kernel.
 *
 * The kernel profile (src/sim/profiles.ts) passes LINUX_VERSION_CODE as a -D define, the way Kbuild
 * generates this header for the tree being built. Sources select an era with
 *     #if LINUX_VERSION_CODE >= KERNEL_VERSION(2,6,23)
 * following the era table of kernel-semantics.md section 9. */
#ifndef _LINUX_VERSION_H
#define _LINUX_VERSION_H

#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* Only a compile without a profile (an editor opening one file) gets here: use the default profile. */
#ifndef LINUX_VERSION_CODE
#define LINUX_VERSION_CODE KERNEL_VERSION(6, 8, 0)
#endif

#endif /* _LINUX_VERSION_H */
