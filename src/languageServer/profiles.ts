// The kernel profiles' macro definitions, as the language server compiles kernel and driver sources
// (layer: languageServer). The simulator's table is src/sim/profiles.ts, which this layer may not
// import; test/unit/languageServer/profiles.test.ts checks that the two agree, name by name.

/** A profile as the editor needs it: the name and the `-D` definitions of kernel units. */
export interface EditorProfile {
	readonly name: string;
	readonly defines: Readonly<Record<string, string>>;
}

function linux(major: number, minor: number, patch: number): EditorProfile {
	return {
		name: `linux-${major}.${minor}${patch > 0 || major === 2 ? `.${patch}` : ''}`,
		defines: { LINUX_VERSION_CODE: String((major << 16) + (minor << 8) + patch), CONFIG_MMU: '1' },
	};
}

const freebsdCore = { LINUX_VERSION_CODE: String((6 << 16) + (8 << 8)), CONFIG_MMU: '1' };

/** Every profile; the first (`linux-6.8`) is the default, as in the simulator. */
export const editorProfiles: readonly EditorProfile[] = [
	linux(6, 8, 0),
	linux(2, 6, 18),
	linux(2, 6, 21),
	linux(2, 6, 27),
	{ name: 'freebsd-7', defines: { ...freebsdCore, __FreeBSD__: '7', __FreeBSD_version: '703000' } },
	{ name: 'freebsd-9', defines: { ...freebsdCore, __FreeBSD__: '9', __FreeBSD_version: '903000' } },
];

/** The profile called `name`, or the default one when `name` is undefined or unknown. */
export function editorProfile(name: string | undefined): EditorProfile {
	return editorProfiles.find(p => p.name === name) ?? editorProfiles[0];
}
