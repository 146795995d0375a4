/* json.c: placeholder until the reader lands. */
typedef int json_placeholder;
