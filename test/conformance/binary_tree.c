// Checks a malloc'd binary search tree: insert, search, in-order walk, height, delete with two children, free.
#include <stdio.h>
#include <stdlib.h>

struct node {
	int key;
	struct node *left, *right;
};

static struct node *insert(struct node *root, int key) {
	if (!root) {
		struct node *n = malloc(sizeof *n);
		n->key = key;
		n->left = n->right = NULL;
		return n;
	}
	if (key < root->key) root->left = insert(root->left, key);
	else if (key > root->key) root->right = insert(root->right, key);
	return root;
}

static struct node *find(struct node *root, int key) {
	while (root && root->key != key) root = key < root->key ? root->left : root->right;
	return root;
}

static struct node *remove_key(struct node *root, int key) {
	if (!root) return NULL;
	if (key < root->key) root->left = remove_key(root->left, key);
	else if (key > root->key) root->right = remove_key(root->right, key);
	else if (!root->left || !root->right) {
		struct node *child = root->left ? root->left : root->right;
		free(root);
		return child;
	} else {
		struct node *succ = root->right;
		while (succ->left) succ = succ->left;
		root->key = succ->key;
		root->right = remove_key(root->right, succ->key);
	}
	return root;
}

static int height(const struct node *n) {
	if (!n) return 0;
	int l = height(n->left), r = height(n->right);
	return 1 + (l > r ? l : r);
}

static int count;
static void walk(const struct node *n, int limit) {
	if (!n) return;
	walk(n->left, limit);
	if (count++ < limit) printf("%d ", n->key);
	walk(n->right, limit);
}

static void destroy(struct node *n) {
	if (!n) return;
	destroy(n->left);
	destroy(n->right);
	free(n);
}

int main(void) {
	struct node *root = NULL;
	unsigned x = 2463534242u;
	for (int i = 0; i < 300; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		root = insert(root, (int)(x % 1000));
	}
	walk(root, 15);
	printf("\nnodes=%d height=%d\n", count, height(root));
	int probes[] = { 0, 500, 999, 123 };
	for (int i = 0; i < 4; i++) printf("find %d: %s\n", probes[i], find(root, probes[i]) ? "yes" : "no");
	for (int k = 0; k < 1000; k += 2) root = remove_key(root, k);
	count = 0;
	walk(root, 10);
	printf("\nafter removing evens: nodes=%d height=%d root=%d\n", count, height(root), root ? root->key : -1);
	destroy(root);
	return 0;
}
