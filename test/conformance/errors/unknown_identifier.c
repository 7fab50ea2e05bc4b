// Using a variable that was never declared.
int main(void) {
	int total = 0;
	for (int i = 0; i < 3; i++) total += i;
	return totl;
}
// EXPECT-ERROR: 5:9: error: 'totl' undeclared (first use in this function)
