/* USART0, interrupt driven: a 256-byte transmit ring buffer drained by the data-register-empty interrupt and a
 * receive ring buffer filled by the receive-complete interrupt. Nothing here ever waits for the wire. */
#ifndef UART_H
#define UART_H

#include <stddef.h>
#include <stdint.h>

#define UART_TX_SIZE 256 /* must be 256: the indices are uint8_t and wrap by themselves */
#define UART_RX_SIZE 128 /* power of two */

/* 115200 8N1 at F_CPU = 16 MHz: U2X0 = 1, UBRR0 = 16 (117647 baud, +2.1 %, the usual Arduino setting). */
void uart_init(void);

/* Bytes that can be queued right now without overwriting unsent data. */
uint8_t uart_tx_free(void);

/* Queue a whole line if it fits (returns 1), else queue nothing (returns 0). Never blocks. */
uint8_t uart_tx_line(const char *line, size_t len);

/* Next received byte, or -1 if none. */
int16_t uart_rx_byte(void);

#endif /* UART_H */
