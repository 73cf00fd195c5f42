#ifndef C_MALLOC_COUNTER_H
#define C_MALLOC_COUNTER_H
#include <stdint.h>

/// Allocations (malloc, calloc, realloc, aligned allocations) since the process started.
uint64_t malloc_counter_allocations(void);
/// Calls to free with a non-NULL pointer since the process started.
uint64_t malloc_counter_frees(void);

#endif
