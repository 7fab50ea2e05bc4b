// Calling a function that no header declares (the flat host has no fopen yet).
int main(void) {
	return frobnicate(3);
}
// EXPECT-ERROR: 3:9: error: implicit declaration of function 'frobnicate'
