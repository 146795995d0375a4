/* pdf-libc.c: libharu 2.3 copies and clears memory byte by byte in its
 * own HPDF_MemCpy and HPDF_MemSet (a 128 KiB table per font, the font
 * data, every stream). The library calls them through its PLT, so these
 * definitions in the program take their place: the same results (both
 * return the end of the destination), at the C library's speed. */
#include <hpdf.h>
#include <hpdf_utils.h>
#include <string.h>

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	if (n)
		memcpy(out, in, n);
	return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}
