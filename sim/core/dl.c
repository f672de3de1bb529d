/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dl.c - opening an optional shared library when first used, and resolving
 * its functions (dl.h). glibc 2.34 and later have dlopen in libc itself.
 */
#include "core/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ccs__dl_open(const char *soname, const char *off_env, char *why, size_t cap)
{
    const char *off = off_env != NULL ? getenv(off_env) : NULL;
    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0) {
        snprintf(why, cap, "%s: not loaded, %s is set", soname, off_env);
        return NULL;
    }
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(why, cap, "%s", e != NULL ? e : soname);
    }
    return lib;
}

bool ccs__dl_sym(void *lib, const char *name, void *fn, size_t size, char *why, size_t cap)
{
    (void)dlerror();
    void *p = dlsym(lib, name);
    if (p == NULL || size != sizeof p) {
        snprintf(why, cap, "symbol %s not found in the library", name);
        return false;
    }
    /* ISO C has no conversion from an object pointer to a function pointer;
       POSIX guarantees they have the same representation (dlsym) */
    memcpy(fn, &p, sizeof p);
    return true;
}
