/*
 * thirdring ring sensor firmware, ATmega328P @ 16 MHz (Arduino Uno / Nano), plain avr-libc.
 *
 * Timer0 ticks every 1 ms. The tick interrupt samples the 4 ring-detect and 4 hook-detect inputs, runs the
 * pure state machines from ring_logic.c and queues events (ring/hook edges, heartbeat due). The main loop turns
 * events into protocol lines and queues them on the interrupt-driven UART, and parses commands from the bridge.
 * The sampling never waits for the UART: if the transmit buffer is full, lines are dropped and counted, and
 * `ERR txfull <n> lines lost` goes out as soon as there is room again.
 *
 * Pins:  ring channel 1..4  = PD2..PD5 (D2..D5)  optocoupler output, active LOW, internal pull-up
 *        hook channel 1..4  = PC0..PC3 (A0..A3)  loop-current optocoupler, LOW = off-hook, internal pull-up
 *        status LED         = PB5 (D13)          lit while any channel is in a ring burst
 *        USART0             = PD0/PD1            115200 8N1
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>
#include <util/atomic.h>

#include "ring_logic.h"
#include "uart.h"

#if F_CPU != 16000000UL
#error "timer and baud settings assume F_CPU = 16 MHz"
#endif

#define RING_SHIFT PD2
#define RING_MASK ((1 << PD2) | (1 << PD3) | (1 << PD4) | (1 << PD5))
#define HOOK_MASK ((1 << PC0) | (1 << PC1) | (1 << PC2) | (1 << PC3))
#define LED_BIT PB5

/* ---- events from the 1 ms tick to the main loop ---- */
enum { EV_RING, EV_HOOK, EV_HB };

typedef struct {
    uint32_t ms;
    uint8_t kind;
    uint8_t ch;   /* 1-based */
    uint8_t edge; /* rl_edge */
} event_t;

#define EVQ_SIZE 32 /* power of two */
static volatile event_t evq[EVQ_SIZE];
static volatile uint8_t evq_head; /* written by the tick interrupt only */
static volatile uint8_t evq_tail; /* written by the main loop only */
static volatile uint8_t evq_lost; /* events dropped because the queue was full (saturating) */

static volatile uint32_t uptime_ms;
static rl_ring rings[RL_CHANNELS];
static rl_hook hooks[RL_CHANNELS];
static rl_hb_timer hb_timer;

/* Clear a watchdog reset early: after one, the watchdog stays on with its shortest timeout. */
void wdt_off_early(void) __attribute__((naked, used, section(".init3")));
void wdt_off_early(void)
{
    MCUSR = 0;
    wdt_disable();
}

static void evq_push(uint8_t kind, uint8_t ch, uint8_t edge, uint32_t ms)
{
    uint8_t head = evq_head;
    uint8_t next = (uint8_t)((head + 1) & (EVQ_SIZE - 1));
    if (next == evq_tail) {
        if (evq_lost != 0xFF) evq_lost++;
        return;
    }
    evq[head].ms = ms;
    evq[head].kind = kind;
    evq[head].ch = ch;
    evq[head].edge = edge;
    evq_head = next;
}

ISR(TIMER0_COMPA_vect)
{
    uint32_t now = uptime_ms + 1;
    uptime_ms = now;

    uint8_t pind = PIND;
    uint8_t pinc = PINC;
    uint8_t bursting = 0;
    for (uint8_t i = 0; i < RL_CHANNELS; i++) {
        uint32_t stamp = 0;
        rl_edge edge = rl_ring_sample(&rings[i], (uint8_t)(pind & (1 << (RING_SHIFT + i))), now, &stamp);
        if (edge != RL_EDGE_NONE) evq_push(EV_RING, (uint8_t)(i + 1), edge, stamp);
        bursting |= rings[i].in_burst;

        edge = rl_hook_sample(&hooks[i], (uint8_t)(pinc & (1 << i)), now, &stamp);
        if (edge != RL_EDGE_NONE) evq_push(EV_HOOK, (uint8_t)(i + 1), edge, stamp);
    }
    if (bursting) {
        PORTB |= (1 << LED_BIT);
    } else {
        PORTB &= (uint8_t)~(1 << LED_BIT);
    }
    if (rl_hb_timer_tick(&hb_timer)) evq_push(EV_HB, 0, RL_EDGE_NONE, now);
}

static uint32_t now_ms(void)
{
    uint32_t now;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { now = uptime_ms; }
    return now;
}

/* ---- output ---- */
static char line[RL_MAX_LINE + 1];
static uint16_t lines_lost; /* lines not sent since the last ERR txfull */
static uint32_t hb_seq;

static void send(size_t len)
{
    if (len == 0) return; /* cannot happen: every line we format fits in 80 bytes */
    if (!uart_tx_line(line, len) && lines_lost != 0xFFFF) lines_lost++;
}

static void send_hb(uint32_t ms)
{
    /* the sequence number advances even when the line is lost: the gap tells the bridge */
    send(rl_format_hb(line, sizeof line, hb_seq++, ms));
}

static void send_err(const char *code, const char *text)
{
    send(rl_format_err(line, sizeof line, code, text));
}

static void report_lost(void)
{
    uint8_t dropped_events;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE)
    {
        dropped_events = evq_lost;
        evq_lost = 0;
    }
    if (dropped_events) {
        uint16_t total = (uint16_t)(lines_lost + dropped_events);
        lines_lost = total < lines_lost ? 0xFFFF : total;
    }
    if (lines_lost == 0) return;
    size_t len = rl_format_txfull(line, sizeof line, lines_lost);
    if (uart_tx_line(line, len)) lines_lost = 0;
}

static void handle_event(const event_t *ev)
{
    switch (ev->kind) {
    case EV_RING:
        send(rl_format_ring(line, sizeof line, ev->ch, (rl_edge)ev->edge, ev->ms));
        break;
    case EV_HOOK:
        send(rl_format_hook(line, sizeof line, ev->ch, (rl_edge)ev->edge, ev->ms));
        break;
    case EV_HB:
        send_hb(ev->ms);
        break;
    default:
        break;
    }
}

static void handle_command(rl_cmd cmd)
{
    switch (cmd) {
    case RL_CMD_PING:
        send_hb(now_ms());
        break;
    case RL_CMD_HELLO:
        send(rl_format_hello(line, sizeof line));
        break;
    case RL_CMD_BAD_CHECKSUM:
        send_err("checksum", "bad or missing checksum");
        break;
    case RL_CMD_UNKNOWN:
        send_err("unknown", "unknown command");
        break;
    case RL_CMD_OVERFLOW:
        send_err("overflow", "line longer than 80 bytes");
        break;
    case RL_CMD_NONE:
    default:
        break;
    }
}

int main(void)
{
    /* inputs with pull-ups; the LED pin is an output */
    DDRD &= (uint8_t)~RING_MASK;
    PORTD |= RING_MASK;
    DDRC &= (uint8_t)~HOOK_MASK;
    PORTC |= HOOK_MASK;
    DDRB |= (1 << LED_BIT);
    PORTB &= (uint8_t)~(1 << LED_BIT);

    for (uint8_t i = 0; i < RL_CHANNELS; i++) {
        rl_ring_init(&rings[i]);
        rl_hook_init(&hooks[i], 0);
    }
    rl_hb_timer_init(&hb_timer);

    static rl_rx rx;
    rl_rx_init(&rx);

    uart_init();

    /* Timer0, CTC, prescaler 64, OCR0A = 249: 16 MHz / 64 / 250 = 1000 Hz */
    TCCR0A = (1 << WGM01);
    OCR0A = 249;
    TCNT0 = 0;
    TIMSK0 = (1 << OCIE0A);
    TCCR0B = (1 << CS01) | (1 << CS00);

    wdt_enable(WDTO_250MS);
    sei();

    send(rl_format_hello(line, sizeof line));

    for (;;) {
        wdt_reset();
        report_lost();

        while (evq_tail != evq_head) {
            uint8_t tail = evq_tail;
            event_t ev;
            ev.ms = evq[tail].ms;
            ev.kind = evq[tail].kind;
            ev.ch = evq[tail].ch;
            ev.edge = evq[tail].edge;
            evq_tail = (uint8_t)((tail + 1) & (EVQ_SIZE - 1));
            handle_event(&ev);
        }

        int16_t byte;
        while ((byte = uart_rx_byte()) >= 0) {
            handle_command(rl_rx_feed(&rx, (uint8_t)byte));
        }
    }
}
