// An #error directive stops compilation with its message.
#define CONFIG_MMU 0

#if !CONFIG_MMU
#error "this driver needs an MMU"
#endif

int main(void) {
	return 0;
}
// EXPECT-ERROR: 5:2: error: #error "this driver needs an MMU"
