// Including a header that does not exist.
#include <no/such/header.h>

int main(void) {
	return 0;
}
// EXPECT-ERROR: 2:10: error: 'no/such/header.h' file not found
