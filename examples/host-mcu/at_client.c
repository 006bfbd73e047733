#include "at_client.h"

#include <string.h>

void at_init(at_client *at, uart *port, at_urc_handler on_urc, void *urc_context) {
  memset(at, 0, sizeof *at);
  at->port = port;
  at->on_urc = on_urc;
  at->urc_context = urc_context;
}

static uint32_t time_left(uint32_t deadline) {
  const int32_t left = (int32_t)(deadline - hal_millis());
  return left > 0 ? (uint32_t)left : 0;
}

int at_read_line(at_client *at, char *line, size_t capacity, uint32_t timeout_ms) {
  const uint32_t deadline = hal_millis() + timeout_ms;
  for (;;) {
    while (at->input_used < at->input_length) {
      const char c = (char)at->input[at->input_used++];
      if (c != '\r' && c != '\n') {
        if (at->pending_length + 1 < sizeof at->pending) at->pending[at->pending_length++] = c;
        continue; /* an overlong line is cut, never overflows */
      }
      if (at->pending_length == 0) continue; /* the empty lines around every answer */
      const size_t length = at->pending_length < capacity - 1 ? at->pending_length : capacity - 1;
      memcpy(line, at->pending, length);
      line[length] = '\0';
      at->pending_length = 0;
      return 1;
    }
    const uint32_t left = time_left(deadline);
    if (left == 0) return 0;
    const int got = uart_read(at->port, at->input, sizeof at->input, left);
    if (got < 0) {
      at->port_lost = 1;
      return 0;
    }
    at->input_length = (size_t)got;
    at->input_used = 0;
  }
}

static int starts_with(const char *text, const char *prefix) { return strncmp(text, prefix, strlen(prefix)) == 0; }

at_result at_command(at_client *at, const char *command, const char *answer_prefix, char *answer, size_t capacity,
                     uint32_t timeout_ms) {
  if (uart_write(at->port, command, strlen(command)) != 0 || uart_write(at->port, "\r", 1) != 0) {
    at->port_lost = 1; /* the line is gone: retrying the write cannot help, reopening the port may */
    return AT_ERROR;
  }
  const uint32_t deadline = hal_millis() + timeout_ms;
  char line[AT_LINE_MAX];
  while (at_read_line(at, line, sizeof line, time_left(deadline))) {
    if (strcmp(line, command) == 0) continue; /* the echo, if echo is still on */
    if (strcmp(line, "OK") == 0) return AT_OK;
    if (strcmp(line, "ERROR") == 0 || starts_with(line, "+CME ERROR")) return AT_ERROR;
    if (answer_prefix && answer && starts_with(line, answer_prefix)) {
      strncpy(answer, line, capacity - 1);
      answer[capacity - 1] = '\0';
    } else if (at->on_urc) {
      at->on_urc(line, at->urc_context);
    }
  }
  return AT_TIMEOUT;
}

int at_wait_for(at_client *at, const char *prefix, char *line_out, size_t capacity, uint32_t timeout_ms) {
  const uint32_t deadline = hal_millis() + timeout_ms;
  char line[AT_LINE_MAX];
  while (at_read_line(at, line, sizeof line, time_left(deadline))) {
    if (starts_with(line, prefix)) {
      if (line_out) {
        strncpy(line_out, line, capacity - 1);
        line_out[capacity - 1] = '\0';
      }
      return 1;
    }
    if (at->on_urc) at->on_urc(line, at->urc_context);
  }
  return 0;
}
