/* roster.c: placeholder until the reader lands. */
typedef int roster_placeholder;
