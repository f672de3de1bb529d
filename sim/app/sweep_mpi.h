/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_mpi.h - `ccsim sweep` across machines with MPI (built when CMake
 * finds MPI: option CCS_MPI). Every rank loads and prepares the same sweep;
 * rank 0 hands out (point, replication) tasks as ranks ask for them, folds
 * the results in, keeps the journal and writes the files; the others only
 * simulate. Without MPI support these report that it is missing.
 *
 * The MPI side (sweep_mpi.c) is a module, ccsim-mpi.so, linked with MPI and
 * opened by ccs_app_mpi_init (sweep_mpi_load.c) from the command's folder or
 * the installed library folder: Open MPI mapped at start-up cost every
 * command about 1.2 MiB of resident memory (docs/benchmark.md).
 */
#ifndef CCS_APP_SWEEP_MPI_H
#define CCS_APP_SWEEP_MPI_H

#include "ccs/ccs.h"

#include <stdbool.h>

/* Was this ccsim built with MPI? */
bool ccs_app_mpi_built(void);

/* Started by an MPI launcher (mpirun, mpiexec, srun)? 0 if not, else the
   launcher's process count when it says (-1 when it does not). */
int ccs_app_mpi_launched(void);

/* Initialise MPI (threads: funneled). Returns 0 or -1 (message printed). */
int ccs_app_mpi_init(int *argc, char ***argv, int *rank, int *size);
void ccs_app_mpi_finalize(void);

/* Every rank's status code (0 ok, else an exit status): the largest. */
int ccs_app_mpi_agree(int status);

/* Rank 0's status, on every rank. */
int ccs_app_mpi_root(int status);

/* Does every rank hold the sweep rank 0 holds? Returns the number of ranks that do not. */
int ccs_app_mpi_same(const struct ccs_sweep *s);

/*
 * Run the sweep over all ranks, `jobs` simulation threads per rank. On rank
 * 0, progress is called about every `every` seconds and once at the end,
 * and *remote counts the replications the other ranks ran. Returns 0 or the
 * first failure (d, on rank 0), on every rank.
 */
int ccs_app_mpi_run(struct ccs_sweep *s, unsigned jobs,
                    void (*progress)(void *ctx, const struct ccs_sweep_progress *p), void *ctx,
                    double every, unsigned long long *remote, struct ccs_diag *d);

/* What the module exports, as the symbol CCS_APP_MPI_OPS: the functions
   above from init on, which call them once init has opened it. */
struct ccs_app_mpi_ops {
    int (*init)(int *argc, char ***argv, int *rank, int *size);
    void (*finalize)(void);
    int (*agree)(int status);
    int (*root)(int status);
    int (*same)(const struct ccs_sweep *s);
    int (*run)(struct ccs_sweep *s, unsigned jobs,
               void (*progress)(void *ctx, const struct ccs_sweep_progress *p), void *ctx,
               double every, unsigned long long *remote, struct ccs_diag *d);
};
#define CCS_APP_MPI_OPS "ccs_app_mpi_ops"
#define CCS_APP_MPI_MODULE "ccsim-mpi.so"

#endif
