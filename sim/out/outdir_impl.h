/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outdir_impl.h - what the writers of sim/out/ share of outdir.c beyond
 * the public transaction (ccs/report.h).
 */
#ifndef CCS_OUT_OUTDIR_IMPL_H
#define CCS_OUT_OUTDIR_IMPL_H

/*
 * Recreate entry src (a file, a folder and all in it, a symbolic link, a
 * FIFO) as dst, files as hard links (copies where links are refused), as
 * the switch of an output directory keeps the entries it did not write.
 * Returns 0 (also when src is gone) or an errno.
 */
int ccs__outdir_keep(const char *src, const char *dst);

#endif
