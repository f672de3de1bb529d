/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sha256.h - SHA-256 (FIPS 180-4) of a byte string, for provenance: the
 * scenario file a result came from is named by its hash, so that
 * `sha256sum FILE` tells whether it is the same file.
 */
#ifndef CCS_CORE_SHA256_H
#define CCS_CORE_SHA256_H

#include <stddef.h>

/* The hash of data[0..len) as 64 lowercase hex digits and a NUL in hex. */
void ccs__sha256_hex(const void *data, size_t len, char hex[65]);

#endif
