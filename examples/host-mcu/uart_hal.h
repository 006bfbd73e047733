/* The UART a host MCU talks to the module on: the only thing a port of this firmware rewrites.
 * uart_posix.c implements it on a POSIX serial device or pseudo-TTY; a real MCU maps it onto its UART driver
 * and a millisecond tick. */
#ifndef HOST_MCU_UART_HAL_H
#define HOST_MCU_UART_HAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct uart uart;

/* Opens the port (raw, 8N1); NULL when it cannot. */
uart *uart_open(const char *device);
void uart_close(uart *port);
/* Writes all of `bytes`; 0 on success. */
int uart_write(uart *port, const void *bytes, size_t size);
/* Reads what has arrived, waiting at most `timeout_ms` for the first byte; the count read, 0 on timeout, -1 on error. */
int uart_read(uart *port, uint8_t *into, size_t capacity, uint32_t timeout_ms);
/* A millisecond clock that only goes forward. */
uint32_t hal_millis(void);
/* Waits `ms` milliseconds (for a peripheral to come back; the protocol code waits on the UART instead). */
void hal_delay_ms(uint32_t ms);

#endif
