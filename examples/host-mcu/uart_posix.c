/* uart_hal.h on POSIX: a serial device or a pseudo-TTY (the emulator's), raw and non-blocking. */
#define _DEFAULT_SOURCE /* cfmakeraw */
#include "uart_hal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct uart {
  int fd;
};

static struct uart the_port = {-1}; /* one UART, as on the MCU: no allocation */

uart *uart_open(const char *device) {
  if (the_port.fd >= 0) return NULL;
  const int fd = open(device, O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return NULL;
  struct termios tio;
  if (tcgetattr(fd, &tio) == 0) {
    cfmakeraw(&tio);
    tcsetattr(fd, TCSANOW, &tio);
  }
  the_port.fd = fd;
  return &the_port;
}

void uart_close(uart *port) {
  if (port && port->fd >= 0) close(port->fd);
  if (port) port->fd = -1;
}

int uart_write(uart *port, const void *bytes, size_t size) {
  const uint8_t *next = bytes;
  while (size > 0) {
    const ssize_t written = write(port->fd, next, size);
    if (written > 0) {
      next += written;
      size -= (size_t)written;
      continue;
    }
    if (written < 0 && errno != EAGAIN && errno != EINTR) return -1; /* EIO: the other end went away */
    struct pollfd writable = {port->fd, POLLOUT, 0};
    if (poll(&writable, 1, 1000) <= 0 || (writable.revents & (POLLHUP | POLLERR))) return -1;
  }
  return 0;
}

int uart_read(uart *port, uint8_t *into, size_t capacity, uint32_t timeout_ms) {
  struct pollfd readable = {port->fd, POLLIN, 0};
  const int ready = poll(&readable, 1, (int)timeout_ms);
  if (ready == 0) return 0;
  if (ready < 0 || (readable.revents & (POLLHUP | POLLERR))) return -1; /* the other end went away */
  const ssize_t got = read(port->fd, into, capacity);
  return got < 0 ? 0 : (int)got;
}

uint32_t hal_millis(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint32_t)(now.tv_sec * 1000u + (uint32_t)(now.tv_nsec / 1000000));
}

void hal_delay_ms(uint32_t ms) {
  const struct timespec pause = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  nanosleep(&pause, NULL);
}
