/*
 * thirdring ring sensor: the pure logic (no AVR headers, no I/O, no globals).
 *
 * Compiled into the firmware (avr-gcc) and into the host unit tests (gcc), so every rule here is tested
 * on the build machine. Time is always an input (`now`, uptime in ms); nothing reads a clock.
 *
 * Serial protocol v1 (README "The Arduino ring sensor", Serial protocol v1): ASCII lines of at most 80 bytes
 * including the final '\n', each `<body>*HH\n` with HH = XOR of all body bytes, two upper-case hex digits.
 */
#ifndef RING_LOGIC_H
#define RING_LOGIC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RL_FIRMWARE_NAME "thirdring-ring-sensor"
#define RL_FIRMWARE_VERSION "1.0.0"
#define RL_PROTO 1
#define RL_CHANNELS 4

/* Whole line, '\n' included. */
#define RL_MAX_LINE 80

/* Ring detection timing (ms). */
#define RL_BOUNCE_MS 8       /* a falling edge closer than this to the last accepted pulse is contact bounce */
#define RL_PAIR_MS 120       /* a second pulse within this of the previous one starts a burst */
#define RL_BURST_END_MS 150  /* no pulse for this long ends the burst */

/* Hook: a level must be stable this long to count (ms). */
#define RL_HOOK_DEBOUNCE_MS 30

/* Heartbeat period (ms). */
#define RL_HB_PERIOD_MS 1000

/* What a sampler reports. For RING: ON = burst started, OFF = burst ended. For HOOK: OFF = went off-hook
 * (input LOW), ON = back on-hook (input HIGH); the words match the protocol lines. */
typedef enum { RL_EDGE_NONE = 0, RL_EDGE_ON = 1, RL_EDGE_OFF = 2 } rl_edge;

/* ---- ring burst detector, one per channel ---- */
typedef struct {
    uint32_t last_pulse_ms; /* time of the last accepted pulse (valid when have_pulse) */
    uint8_t level;          /* previous sample, 1 = HIGH (idle: optocoupler dark, pull-up) */
    uint8_t have_pulse;     /* a pulse is pending (idle) or the burst's last pulse is known */
    uint8_t in_burst;
} rl_ring;

void rl_ring_init(rl_ring *r);

/* Feed one sample (level: 0 = LOW, non-zero = HIGH) taken at `now`. Call every 1 ms.
 * Returns RL_EDGE_ON when a burst starts (*stamp = ms of the first pulse of the starting pair) and
 * RL_EDGE_OFF when it ends (*stamp = ms of the burst's last pulse), else RL_EDGE_NONE. */
rl_edge rl_ring_sample(rl_ring *r, uint8_t level, uint32_t now, uint32_t *stamp);

/* ---- hook debouncer, one per channel ---- */
typedef struct {
    uint32_t since;    /* when the candidate level was first seen */
    uint8_t stable;    /* the debounced level, 1 = HIGH = on-hook */
    uint8_t candidate; /* the level seen on the last sample */
} rl_hook;

/* At boot the assumed state is on-hook (HIGH). */
void rl_hook_init(rl_hook *h, uint32_t now);

/* Feed one sample taken at `now`. When a new level has been stable for RL_HOOK_DEBOUNCE_MS, returns
 * RL_EDGE_OFF (went LOW: off-hook) or RL_EDGE_ON (went HIGH: on-hook), *stamp = when that level began. */
rl_edge rl_hook_sample(rl_hook *h, uint8_t level, uint32_t now, uint32_t *stamp);

/* ---- checksum and line formatting ---- */

/* XOR of `len` bytes. */
uint8_t rl_checksum(const char *body, size_t len);

/* A line under construction in a caller-owned buffer. Writers never overrun `cap`; they set `overflow`. */
typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    uint8_t overflow;
} rl_line;

void rl_line_begin(rl_line *l, char *buf, size_t cap);
void rl_line_char(rl_line *l, char c);
void rl_line_str(rl_line *l, const char *s);
void rl_line_u32(rl_line *l, uint32_t v);
/* Appends `*HH\n` (and a NUL if it fits, not counted). Returns the line length, or 0 if the buffer
 * overflowed or the whole line would exceed RL_MAX_LINE bytes. */
size_t rl_line_finish(rl_line *l);

/* Complete framed lines; each returns the length (0 = did not fit). `cap` >= RL_MAX_LINE + 1 always fits. */
size_t rl_format_hello(char *out, size_t cap);
size_t rl_format_ring(char *out, size_t cap, uint8_t ch, rl_edge edge, uint32_t ms);
size_t rl_format_hook(char *out, size_t cap, uint8_t ch, rl_edge edge, uint32_t ms);
size_t rl_format_hb(char *out, size_t cap, uint32_t seq, uint32_t ms);
size_t rl_format_err(char *out, size_t cap, const char *code, const char *text);
/* `ERR txfull <lost> lines lost` */
size_t rl_format_txfull(char *out, size_t cap, uint16_t lost);

/* ---- commands from the bridge ---- */
typedef enum {
    RL_CMD_NONE = 0,     /* nothing yet / empty line (ignored) */
    RL_CMD_PING,         /* PING*10  -> answer HB */
    RL_CMD_HELLO,        /* HELLO?*7D -> answer HELLO */
    RL_CMD_BAD_CHECKSUM, /* missing, malformed or wrong checksum -> ERR checksum */
    RL_CMD_UNKNOWN,      /* checksum fine, command unknown -> ERR unknown */
    RL_CMD_OVERFLOW      /* line longer than RL_MAX_LINE bytes -> ERR overflow */
} rl_cmd;

/* Parse one received line without its '\n' (a trailing '\r' is tolerated). */
rl_cmd rl_parse_command(const char *line, size_t len);

/* Assembles received bytes into lines. Room for 79 body bytes plus an optional '\r'. */
typedef struct {
    char buf[RL_MAX_LINE];
    uint8_t len;
    uint8_t overflow;
} rl_rx;

void rl_rx_init(rl_rx *rx);
/* Feed one received byte; returns the command when the byte completes a line ('\n'), else RL_CMD_NONE. */
rl_cmd rl_rx_feed(rl_rx *rx, uint8_t byte);

/* Heartbeat countdown: returns 1 once every RL_HB_PERIOD_MS calls (one call per ms tick). */
typedef struct {
    uint16_t countdown;
} rl_hb_timer;

void rl_hb_timer_init(rl_hb_timer *t);
uint8_t rl_hb_timer_tick(rl_hb_timer *t);

#ifdef __cplusplus
}
#endif

#endif /* RING_LOGIC_H */
