/* SHA-256 (FIPS 180-4), for the audit log's hash chain. libargon2 exports no
 * plain hash function and SQLite's sha3 lives only in its shell, so the core
 * carries this small, test-vector-checked implementation. */
#ifndef AUP_SHA256_H
#define AUP_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;
	unsigned char	block[64];
	size_t		used;
};

void	sha256_init(struct sha256 *s);
void	sha256_update(struct sha256 *s, const void *data, size_t n);
void	sha256_final(struct sha256 *s, unsigned char out[32]);
/* Lower-case hex of the digest, 64 characters plus NUL. */
void	sha256_hex(const unsigned char digest[32], char out[65]);

#endif
