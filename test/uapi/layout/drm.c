// Checks <drm/drm.h> and <drm/drm_mode.h>: the GEM, PRIME and dumb-buffer structures and ioctl numbers.
#define _GNU_SOURCE
#include <fcntl.h>
#include <drm/drm.h>
#include <drm/drm_mode.h>
#include "print.h"

int main(void)
{
	printf("DRM_NAME = %s\n", DRM_NAME);
	CONST(DRM_CAP_DUMB_BUFFER);
	CONST(DRM_CAP_VBLANK_HIGH_CRTC);
	CONST(DRM_CAP_DUMB_PREFERRED_DEPTH);
	CONST(DRM_CAP_DUMB_PREFER_SHADOW);
	CONST(DRM_CAP_PRIME);
	CONST(DRM_PRIME_CAP_IMPORT);
	CONST(DRM_PRIME_CAP_EXPORT);
	CONST(DRM_CLIENT_CAP_STEREO_3D);
	CONST(DRM_CLIENT_CAP_UNIVERSAL_PLANES);
	CONST(DRM_CLIENT_CAP_ATOMIC);
	CONST(DRM_RDWR);
	CONST(DRM_CLOEXEC);
	CONST(DRM_IOCTL_BASE);
	CONST(DRM_IOCTL_VERSION);
	CONST(DRM_IOCTL_GET_UNIQUE);
	CONST(DRM_IOCTL_GEM_CLOSE);
	CONST(DRM_IOCTL_GEM_FLINK);
	CONST(DRM_IOCTL_GEM_OPEN);
	CONST(DRM_IOCTL_GET_CAP);
	CONST(DRM_IOCTL_SET_CLIENT_CAP);
	CONST(DRM_IOCTL_SET_MASTER);
	CONST(DRM_IOCTL_DROP_MASTER);
	CONST(DRM_IOCTL_PRIME_HANDLE_TO_FD);
	CONST(DRM_IOCTL_PRIME_FD_TO_HANDLE);
	CONST(DRM_IOCTL_MODE_CREATE_DUMB);
	CONST(DRM_IOCTL_MODE_MAP_DUMB);
	CONST(DRM_IOCTL_MODE_DESTROY_DUMB);
	CONST(DRM_COMMAND_BASE);
	CONST(DRM_COMMAND_END);
	CONST(DRM_DISPLAY_MODE_LEN);
	CONST(DRM_IO(0x7f));
	CONST(DRM_IOR(0x41, struct drm_get_cap));
	CONST(DRM_IOW(0x42, __u32));
	CONST(DRM_IOWR(0x43, struct drm_version));
	CONST(_IOC_NR(DRM_IOCTL_MODE_CREATE_DUMB));
	CONST(_IOC_SIZE(DRM_IOCTL_MODE_CREATE_DUMB));
	CONST(_IOC_DIR(DRM_IOCTL_PRIME_HANDLE_TO_FD));

	SCALAR(drm_handle_t);
	SCALAR(drm_context_t);
	SCALAR(drm_drawable_t);
	SCALAR(drm_magic_t);
	TYPE(struct drm_version);
	INTMEMBER(struct drm_version, version_major);
	INTMEMBER(struct drm_version, version_minor);
	INTMEMBER(struct drm_version, version_patchlevel);
	INTMEMBER(struct drm_version, name_len);
	MEMBER(struct drm_version, name);
	INTMEMBER(struct drm_version, date_len);
	MEMBER(struct drm_version, date);
	INTMEMBER(struct drm_version, desc_len);
	MEMBER(struct drm_version, desc);
	TYPE(struct drm_unique);
	INTMEMBER(struct drm_unique, unique_len);
	MEMBER(struct drm_unique, unique);
	TYPE(struct drm_gem_close);
	INTMEMBER(struct drm_gem_close, handle);
	INTMEMBER(struct drm_gem_close, pad);
	TYPE(struct drm_gem_flink);
	INTMEMBER(struct drm_gem_flink, handle);
	INTMEMBER(struct drm_gem_flink, name);
	TYPE(struct drm_gem_open);
	INTMEMBER(struct drm_gem_open, name);
	INTMEMBER(struct drm_gem_open, handle);
	INTMEMBER(struct drm_gem_open, size);
	TYPE(struct drm_get_cap);
	INTMEMBER(struct drm_get_cap, capability);
	INTMEMBER(struct drm_get_cap, value);
	TYPE(struct drm_set_client_cap);
	INTMEMBER(struct drm_set_client_cap, capability);
	INTMEMBER(struct drm_set_client_cap, value);
	TYPE(struct drm_prime_handle);
	INTMEMBER(struct drm_prime_handle, handle);
	INTMEMBER(struct drm_prime_handle, flags);
	INTMEMBER(struct drm_prime_handle, fd);
	TYPE(struct drm_mode_create_dumb);
	INTMEMBER(struct drm_mode_create_dumb, height);
	INTMEMBER(struct drm_mode_create_dumb, width);
	INTMEMBER(struct drm_mode_create_dumb, bpp);
	INTMEMBER(struct drm_mode_create_dumb, flags);
	INTMEMBER(struct drm_mode_create_dumb, handle);
	INTMEMBER(struct drm_mode_create_dumb, pitch);
	INTMEMBER(struct drm_mode_create_dumb, size);
	TYPE(struct drm_mode_map_dumb);
	INTMEMBER(struct drm_mode_map_dumb, handle);
	INTMEMBER(struct drm_mode_map_dumb, pad);
	INTMEMBER(struct drm_mode_map_dumb, offset);
	TYPE(struct drm_mode_destroy_dumb);
	INTMEMBER(struct drm_mode_destroy_dumb, handle);
	return 0;
}
