/* t_sha256.c: SHA-256 against FIPS 180-4 test vectors and sha256sum, the
 * digest of a file, and the hex helpers of util.h. */
#include "harness.h"
#include "sha256.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* hex_encode and hex_decode: a round trip of every byte value; only the
 * lowercase digits hex_encode writes are taken back, and only exactly
 * 2 * n of them. */
static void test_hex(void)
{
	unsigned char all[256], back[256], b[4];
	char hex[513], s[16];

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	hex_encode(all, sizeof(all), hex);
	check_int(strlen(hex), 512);
	check(!strncmp(hex, "000102030405060708090a0b0c0d0e0f10", 34));
	check_str(hex + 500, "fafbfcfdfeff");
	memset(back, 0, sizeof(back));
	check_int(hex_decode(hex, back, sizeof(back)), 0);
	check(!memcmp(all, back, sizeof(all)));

	hex_encode("", 0, s);
	check_str(s, "");
	check_int(hex_decode("", b, 0), 0);
	check_int(hex_decode("00ff7f80", b, 4), 0);
	check(b[0] == 0x00 && b[1] == 0xff && b[2] == 0x7f && b[3] == 0x80);

	/* Uppercase, other characters, and wrong lengths are refused. */
	check_int(hex_decode("00FF7F80", b, 4), -1);
	check_int(hex_decode("00ff7f8g", b, 4), -1);
	check_int(hex_decode("00ff 7f8", b, 4), -1);
	check_int(hex_decode("00ff7f8", b, 4), -1);
	check_int(hex_decode("00ff7f", b, 4), -1);
	check_int(hex_decode("00ff7f8000", b, 4), -1);
	check_int(hex_decode("0", b, 0), -1);
}

/* The digest of a file and its size, as sha256sum gives them. */
static void test_file(void)
{
	char path[] = "/tmp/t_sha256.XXXXXX", hex[65];
	unsigned char d[32];
	long long size = -1;
	int fd = mkstemp(path);

	check(fd >= 0);
	if (fd < 0)
		return;
	check_int(write(fd, "abc", 3), 3);
	close(fd);
	check_int(sha256_file(path, d, &size), 0);
	check_int(size, 3);
	hex_encode(d, sizeof(d), hex);
	check_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	check_int(sha256_file(path, d, &size), -1);
	/* A folder opens but cannot be read. */
	check_int(sha256_file("/tmp", d, &size), -1);
}

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
	hex_encode(d, sizeof(d), hex);
	check_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(big);
	test_hex();
	test_file();
	return check_done();
}
