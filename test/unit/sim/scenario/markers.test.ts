// `// @point: name` comments (src/sim/scenario/markers.ts findPoints): the line a point stands for.

import * as assert from 'node:assert/strict';
import { findPoints } from '../../../../src/sim/scenario/markers';

describe('scenario markers: findPoints', () => {
	it('a point on its own line stands for the next code line, skipping blank, comment and preprocessor lines', () => {
		const text = ['int f(void)', '{', '\t// @point: here', '', '\t/* a note', '\t * more */', '#define X 1', '\treturn X;', '}'].join('\n');
		assert.deepEqual(findPoints(text), [{ name: 'here', commentLine: 3, line: 8 }]);
	});

	it('a line that starts with * is code outside a block comment (a store through a pointer)', () => {
		const text = ['void f(int *p)', '{', '\t// @point: store', '\t*p = 1;', '}'].join('\n');
		assert.deepEqual(findPoints(text), [{ name: 'store', commentLine: 3, line: 4 }]);
	});

	it('a point after code on the same line stands for that line', () => {
		assert.deepEqual(findPoints('x = 1; // @point: same\ny = 2;'), [{ name: 'same', commentLine: 1, line: 1 }]);
	});

	it('a point with no code after it has no line', () => {
		assert.deepEqual(findPoints('int x;\n// @point: end\n'), [{ name: 'end', commentLine: 2 }]);
	});
});
