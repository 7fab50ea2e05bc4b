/* <drm/drm_mode.h> for Faultline user programs: the kernel-mode-setting UAPI subset for dumb
   buffers (CPU-mappable buffer objects). Layouts as in the Linux DRM user API. */
#ifndef _DRM_MODE_H
#define _DRM_MODE_H 1

#include <drm/drm.h>

#define DRM_DISPLAY_MODE_LEN 32

/* DRM_IOCTL_MODE_CREATE_DUMB: in height, width, bpp, flags; out handle, pitch, size. 32 bytes. */
struct drm_mode_create_dumb {
	__u32 height;
	__u32 width;
	__u32 bpp;
	__u32 flags;
	__u32 handle;
	__u32 pitch;
	__u64 size;
};

/* DRM_IOCTL_MODE_MAP_DUMB: in handle; out the fake offset to pass to mmap() on the DRM fd. */
struct drm_mode_map_dumb {
	__u32 handle;
	__u32 pad;
	__u64 offset;
};

/* DRM_IOCTL_MODE_DESTROY_DUMB. */
struct drm_mode_destroy_dumb {
	__u32 handle;
};

#endif
