/* The AT conversation, line by line: commands with their final result, lines waited for with a deadline, and
 * every other line (a URC) handed to the application. Fixed buffers only. */
#ifndef HOST_MCU_AT_CLIENT_H
#define HOST_MCU_AT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "uart_hal.h"

#define AT_LINE_MAX 1200 /* the longest line the module sends: a host OTA part is far shorter */

typedef void (*at_urc_handler)(const char *line, void *context);

typedef struct {
  uart *port;
  char pending[AT_LINE_MAX]; /* the line being received */
  size_t pending_length;
  uint8_t input[256]; /* bytes read but not yet cut into lines */
  size_t input_length, input_used;
  at_urc_handler on_urc;
  void *urc_context;
  int port_lost; /* the UART failed (the emulator's PTY closes when its process restarts) */
} at_client;

typedef enum { AT_OK, AT_ERROR, AT_TIMEOUT } at_result;

void at_init(at_client *at, uart *port, at_urc_handler on_urc, void *urc_context);
/* The next non-empty line (without CR/LF) into `line`; 0 when none came within the timeout. */
int at_read_line(at_client *at, char *line, size_t capacity, uint32_t timeout_ms);
/* Sends `command` and a CR; waits for OK or ERROR. A line of the answer starting with `answer_prefix` (may be NULL)
 * goes into `answer`; other lines are URCs. */
at_result at_command(at_client *at, const char *command, const char *answer_prefix, char *answer, size_t capacity,
                     uint32_t timeout_ms);
/* Waits for a line starting with `prefix` (copied into `line` when given); other lines are URCs. 0 on timeout. */
int at_wait_for(at_client *at, const char *prefix, char *line, size_t capacity, uint32_t timeout_ms);

#endif
