// Assigning a struct to an int is a type error.
struct point {
	int x, y;
};

int main(void) {
	struct point p = { 1, 2 };
	int n = p;
	return n;
}
// EXPECT-ERROR: 8:10: error: incompatible types when initializing type 'int' using type 'struct point'
