/* t_sha256.c: SHA-256 against FIPS 180-4 test vectors and sha256sum. */
#include "harness.h"
#include "sha256.h"

#include <stdlib.h>

int main(void)
{
	char hex[65];
	char *big;
	struct sha256 c;
	unsigned char d[32];
	size_t i;

	sha256_hex("", 0, hex);
	check_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	check_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	check_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in uneven pieces. */
	big = malloc(1000000);
	memset(big, 'a', 1000000);
	sha256_init(&c);
	for (i = 0; i < 1000000; i += 777)
		sha256_update(&c, big + i, i + 777 > 1000000 ? 1000000 - i : 777);
	sha256_final(&c, d);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	check_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(big);
	return check_done();
}
