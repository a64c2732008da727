/* The public header compiles on its own under -std=c11 -Wall -Wextra -Werror -pedantic. */
#include "triode/triode.h"

int main(void) { return triode_strerror(TRIODE_SUCCESS) == NULL; }
