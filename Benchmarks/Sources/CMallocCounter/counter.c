// Interposes the allocator entry points of glibc, counting calls with relaxed atomics and forwarding
// to glibc's own implementations (__libc_malloc & co.), so no dlsym bootstrapping is needed.
#include "CMallocCounter.h"
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t allocations;
static uint64_t frees;

static inline void count(uint64_t *counter) {
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t size) { count(&allocations); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count(&allocations); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { count(&allocations); return __libc_realloc(p, size); }
void free(void *p) { if (p) count(&frees); __libc_free(p); }

void *memalign(size_t alignment, size_t size) { count(&allocations); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(&allocations); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    count(&allocations);
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

uint64_t malloc_counter_allocations(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
uint64_t malloc_counter_frees(void) { return __atomic_load_n(&frees, __ATOMIC_RELAXED); }
