/* record.c: placeholder until the reader lands. */
typedef int record_placeholder;
