/* placeholder until the suite lands: reports SKIP (77) to automake. */
int main(void) { return 77; }
