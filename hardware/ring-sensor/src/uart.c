#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>

static char tx_buf[UART_TX_SIZE];
static volatile uint8_t tx_head; /* written by the main loop only */
static volatile uint8_t tx_tail; /* written by the UDRE interrupt only */

static volatile uint8_t rx_buf[UART_RX_SIZE];
static volatile uint8_t rx_head; /* written by the RX interrupt only */
static volatile uint8_t rx_tail; /* written by the main loop only */

void uart_init(void)
{
    UCSR0A = (1 << U2X0);
    UBRR0H = 0;
    UBRR0L = 16;
    UCSR0C = (1 << UCSZ01) | (1 << UCSZ00); /* 8 data bits, no parity, 1 stop bit */
    UCSR0B = (1 << RXEN0) | (1 << TXEN0) | (1 << RXCIE0);
}

uint8_t uart_tx_free(void)
{
    /* one slot stays empty so that head == tail means "empty" */
    return (uint8_t)(tx_tail - tx_head - 1);
}

uint8_t uart_tx_line(const char *line, size_t len)
{
    if (len > uart_tx_free()) return 0;
    uint8_t head = tx_head;
    for (size_t i = 0; i < len; i++) tx_buf[head++] = line[i];
    tx_head = head;
    /* Not atomic (lds/ori/sts), but safe: the UDRE interrupt only clears UDRIE0 when head == tail, and the
     * new head published above is ahead of tail until those bytes have gone out, which takes far longer. */
    UCSR0B |= (1 << UDRIE0);
    return 1;
}

ISR(USART_UDRE_vect)
{
    uint8_t tail = tx_tail;
    if (tail != tx_head) {
        UDR0 = (uint8_t)tx_buf[tail];
        tx_tail = ++tail;
    }
    /* Switch the interrupt off together with the last byte, not one interrupt later: saves an interrupt per
     * line, and does not rely on UDRE0 staying set through an interrupt that wrote nothing (true on silicon,
     * not in every simulator). */
    if (tail == tx_head) UCSR0B &= (uint8_t)~(1 << UDRIE0);
}

ISR(USART_RX_vect)
{
    uint8_t byte = UDR0;
    uint8_t next = (uint8_t)((rx_head + 1) & (UART_RX_SIZE - 1));
    if (next != rx_tail) {
        rx_buf[rx_head] = byte;
        rx_head = next;
    } /* else: the buffer is full and the byte is lost; that line then fails its checksum */
}

int16_t uart_rx_byte(void)
{
    uint8_t tail = rx_tail;
    if (tail == rx_head) return -1;
    uint8_t byte = rx_buf[tail];
    rx_tail = (uint8_t)((tail + 1) & (UART_RX_SIZE - 1));
    return byte;
}
