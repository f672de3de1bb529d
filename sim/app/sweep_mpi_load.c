/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_mpi_load.c - the command's side of `ccsim sweep` on MPI ranks
 * (sweep_mpi.h): whether a launcher started it, and the module ccsim-mpi.so
 * (sweep_mpi.c, linked with MPI) opened when a sweep runs on ranks, so that
 * no other command maps Open MPI. The module is looked for beside the
 * command (the build tree), then in the installed library folder
 * (CCS_MPI_MODULE_REL, relative to the command's folder). CCS_NO_MPI=1 in
 * the environment makes the load fail, for tests.
 */
#include "app/sweep_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The launchers' environment: Open MPI, PMIx (Open MPI 4, Slurm), PMI (MPICH, Slurm). */
int ccs_app_mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && v[0] != '\0')
            return i < 2 ? atoi(v) : -1;
    }
    return 0;
}

#ifdef CCS_HAVE_MPI

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

/* The module's functions, once ccs_app_mpi_init opened it (the command is
   one thread when it does, and the table is never unloaded). */
static const struct ccs_app_mpi_ops *mpi;

bool ccs_app_mpi_built(void) { return true; }

/*
 * Open the module at path; RTLD_GLOBAL, as Open MPI opens its own
 * components later and they resolve MPI's symbols globally. The module
 * resolves libccsim's functions in the command (cmake/mpi-module.syms).
 * Returns the table or NULL, with why (the dynamic linker's words).
 */
static const struct ccs_app_mpi_ops *open_module(const char *path, char *why, size_t cap)
{
    void *lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(why, cap, "%s", e != NULL ? e : path);
        return NULL;
    }
    const struct ccs_app_mpi_ops *ops = dlsym(lib, CCS_APP_MPI_OPS);
    if (ops == NULL)
        snprintf(why, cap, "%s: symbol %s not found", path, CCS_APP_MPI_OPS);
    return ops;
}

/* The module beside the command, else in the installed library folder. */
static const struct ccs_app_mpi_ops *load(char *why, size_t cap)
{
    const char *off = getenv("CCS_NO_MPI");
    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0) {
        snprintf(why, cap, "%s: not loaded, CCS_NO_MPI is set", CCS_APP_MPI_MODULE);
        return NULL;
    }
    char dir[PATH_MAX], path[2][PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) {
        snprintf(why, cap, "cannot find the ccsim command's folder (/proc/self/exe)");
        return NULL;
    }
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = '\0';
    snprintf(path[0], sizeof path[0], "%s/%s", dir, CCS_APP_MPI_MODULE);
    snprintf(path[1], sizeof path[1], "%s/%s/%s", dir, CCS_MPI_MODULE_REL, CCS_APP_MPI_MODULE);
    for (int i = 0; i < 2; i++)
        if (access(path[i], F_OK) == 0)
            return open_module(path[i], why, cap);
    snprintf(why, cap, "%s is neither in %s nor in %s/%s", CCS_APP_MPI_MODULE, dir, dir,
             CCS_MPI_MODULE_REL);
    return NULL;
}

int ccs_app_mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    *rank = 0;
    *size = 1;
    char why[3 * PATH_MAX];
    if (mpi == NULL && (mpi = load(why, sizeof why)) == NULL) {
        fprintf(stderr, "ccsim sweep: error: cannot load MPI support (Debian libopenmpi3): %s\n",
                why);
        return -1;
    }
    return mpi->init(argc, argv, rank, size);
}

void ccs_app_mpi_finalize(void) { mpi->finalize(); }
int ccs_app_mpi_agree(int status) { return mpi->agree(status); }
int ccs_app_mpi_root(int status) { return mpi->root(status); }
int ccs_app_mpi_same(const struct ccs_sweep *s) { return mpi->same(s); }

int ccs_app_mpi_run(struct ccs_sweep *s, unsigned jobs,
                    void (*progress)(void *ctx, const struct ccs_sweep_progress *p), void *ctx,
                    double every, unsigned long long *remote, struct ccs_diag *d)
{
    return mpi->run(s, jobs, progress, ctx, every, remote, d);
}

#else /* no MPI */

bool ccs_app_mpi_built(void) { return false; }

int ccs_app_mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *size = 1;
    fprintf(stderr, "ccsim sweep: error: this ccsim was built without MPI (install "
                    "libopenmpi-dev and rebuild; CMake option CCS_MPI)\n");
    return -1;
}

void ccs_app_mpi_finalize(void) {}
int ccs_app_mpi_agree(int status) { return status; }
int ccs_app_mpi_root(int status) { return status; }
int ccs_app_mpi_same(const struct ccs_sweep *s)
{
    (void)s;
    return 0;
}

int ccs_app_mpi_run(struct ccs_sweep *s, unsigned jobs,
                    void (*progress)(void *ctx, const struct ccs_sweep_progress *p), void *ctx,
                    double every, unsigned long long *remote, struct ccs_diag *d)
{
    *remote = 0;
    struct ccs_sweep_exec x = {jobs, progress, ctx, every};
    return ccs_sweep_run(s, &x, d);
}

#endif
