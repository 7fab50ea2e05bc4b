/* <drm/drm.h> for Faultline user programs: the core DRM UAPI subset for GEM objects, dumb buffers
   and PRIME (buffer sharing through dma-buf file descriptors). Structure layouts and ioctl numbers
   as in the Linux DRM user API. DRM_RDWR and DRM_CLOEXEC need <fcntl.h>, as with the real header. */
#ifndef _DRM_H_
#define _DRM_H_ 1

#include <linux/types.h>
#include <asm/ioctl.h>

typedef unsigned int drm_handle_t;
typedef unsigned int drm_context_t;
typedef unsigned int drm_drawable_t;
typedef unsigned int drm_magic_t;

#define DRM_NAME "drm"

/* DRM_IOCTL_VERSION: the caller supplies buffers and lengths; the driver fills them. */
struct drm_version {
	int version_major;
	int version_minor;
	int version_patchlevel;
	__kernel_size_t name_len;
	char *name;
	__kernel_size_t date_len;
	char *date;
	__kernel_size_t desc_len;
	char *desc;
};

/* DRM_IOCTL_GET_UNIQUE. */
struct drm_unique {
	__kernel_size_t unique_len;
	char *unique;
};

/* DRM_IOCTL_GEM_CLOSE: drop this file's handle to a GEM object. */
struct drm_gem_close {
	__u32 handle;
	__u32 pad;
};

/* DRM_IOCTL_GEM_FLINK: give an object a global name. */
struct drm_gem_flink {
	__u32 handle;
	__u32 name;
};

/* DRM_IOCTL_GEM_OPEN: open an object by global name. */
struct drm_gem_open {
	__u32 name;
	__u32 handle;
	__u64 size;
};

/* Capabilities for DRM_IOCTL_GET_CAP. */
#define DRM_CAP_DUMB_BUFFER 0x1
#define DRM_CAP_VBLANK_HIGH_CRTC 0x2
#define DRM_CAP_DUMB_PREFERRED_DEPTH 0x3
#define DRM_CAP_DUMB_PREFER_SHADOW 0x4
#define DRM_CAP_PRIME 0x5
#define DRM_PRIME_CAP_IMPORT 0x1
#define DRM_PRIME_CAP_EXPORT 0x2

struct drm_get_cap {
	__u64 capability;
	__u64 value;
};

/* DRM_IOCTL_SET_CLIENT_CAP. */
#define DRM_CLIENT_CAP_STEREO_3D 1
#define DRM_CLIENT_CAP_UNIVERSAL_PLANES 2
#define DRM_CLIENT_CAP_ATOMIC 3

struct drm_set_client_cap {
	__u64 capability;
	__u64 value;
};

/* PRIME: flags for DRM_IOCTL_PRIME_HANDLE_TO_FD (the new dma-buf fd's open flags). */
#define DRM_RDWR O_RDWR
#define DRM_CLOEXEC O_CLOEXEC

/* DRM_IOCTL_PRIME_HANDLE_TO_FD (in handle, flags; out fd) and _FD_TO_HANDLE (in fd; out handle). */
struct drm_prime_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

#include <drm/drm_mode.h>

/* Core ioctls use the type letter 'd'. */
#define DRM_IOCTL_BASE 'd'
#define DRM_IO(nr) _IO(DRM_IOCTL_BASE, nr)
#define DRM_IOR(nr, type) _IOR(DRM_IOCTL_BASE, nr, type)
#define DRM_IOW(nr, type) _IOW(DRM_IOCTL_BASE, nr, type)
#define DRM_IOWR(nr, type) _IOWR(DRM_IOCTL_BASE, nr, type)

#define DRM_IOCTL_VERSION DRM_IOWR(0x00, struct drm_version)
#define DRM_IOCTL_GET_UNIQUE DRM_IOWR(0x01, struct drm_unique)
#define DRM_IOCTL_GEM_CLOSE DRM_IOW(0x09, struct drm_gem_close)
#define DRM_IOCTL_GEM_FLINK DRM_IOWR(0x0a, struct drm_gem_flink)
#define DRM_IOCTL_GEM_OPEN DRM_IOWR(0x0b, struct drm_gem_open)
#define DRM_IOCTL_GET_CAP DRM_IOWR(0x0c, struct drm_get_cap)
#define DRM_IOCTL_SET_CLIENT_CAP DRM_IOW(0x0d, struct drm_set_client_cap)
#define DRM_IOCTL_SET_MASTER DRM_IO(0x1e)
#define DRM_IOCTL_DROP_MASTER DRM_IO(0x1f)
#define DRM_IOCTL_PRIME_HANDLE_TO_FD DRM_IOWR(0x2d, struct drm_prime_handle)
#define DRM_IOCTL_PRIME_FD_TO_HANDLE DRM_IOWR(0x2e, struct drm_prime_handle)
#define DRM_IOCTL_MODE_CREATE_DUMB DRM_IOWR(0xB2, struct drm_mode_create_dumb)
#define DRM_IOCTL_MODE_MAP_DUMB DRM_IOWR(0xB3, struct drm_mode_map_dumb)
#define DRM_IOCTL_MODE_DESTROY_DUMB DRM_IOWR(0xB4, struct drm_mode_destroy_dumb)

/* Driver-specific ioctls use numbers DRM_COMMAND_BASE..DRM_COMMAND_END-1. */
#define DRM_COMMAND_BASE 0x40
#define DRM_COMMAND_END 0xA0

#endif
