/* <linux/module.h>: loadable modules. A driver is linked as its own program in a module slot
 * (MODULES_VADDR) that imports the kernel's symbols (and those of modules loaded before it); the
 * loader (src/kernel/proc/modules.ts, the machine's insmod) maps it, sets its parameters, and calls
 * init_module. module_init/module_exit define init_module/cleanup_module as Linux's do for a
 * loadable module. Every external symbol of a module is visible to later modules, so
 * EXPORT_SYMBOL only documents intent. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/kernel.h>
#include <linux/init.h>

#define module_init(initfn) int init_module(void) { return initfn(); }
#define module_exit(exitfn) void cleanup_module(void) { exitfn(); }

#define MODULE_LICENSE(license) static const char __kc_module_license[] __attribute__((unused)) = license
#define MODULE_AUTHOR(author) static const char __kc_module_author[] __attribute__((unused)) = author
#define MODULE_DESCRIPTION(text) static const char __kc_module_description[] __attribute__((unused)) = text
#define MODULE_PARM_DESC(name, text) static const char __kc_param_desc_##name[] __attribute__((unused)) = text

#define EXPORT_SYMBOL(sym) extern int __kc_export_marker_unused
#define EXPORT_SYMBOL_GPL(sym) extern int __kc_export_marker_unused

#define THIS_MODULE ((struct module *)0)
struct module;

/* module_param(name, type, perm): `name` is settable at load time. The loader writes it by its C
 * type (int, unsigned, long, bool, char *); a parameter not declared this way is refused, as
 * Linux's "Unknown parameter". */
#define module_param(name, type, perm) \
	const char __kc_param_##name[] __attribute__((unused)) = #type

#endif /* _LINUX_MODULE_H */
