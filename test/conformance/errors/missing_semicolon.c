// A statement without its semicolon.
int main(void) {
	int x = 1
	return x;
}
// EXPECT-ERROR: 3:11: error: expected ';' at end of declaration
