/* thirdring ring sensor: the pure logic. See ring_logic.h. */
#include "ring_logic.h"

/* ---- ring burst detector ---- */

void rl_ring_init(rl_ring *r)
{
    r->last_pulse_ms = 0;
    r->level = 1;
    r->have_pulse = 0;
    r->in_burst = 0;
}

rl_edge rl_ring_sample(rl_ring *r, uint8_t level, uint32_t now, uint32_t *stamp)
{
    uint8_t high = level ? 1 : 0;
    uint8_t falling = (uint8_t)(r->level && !high);
    r->level = high;

    if (falling) {
        uint32_t since_last = now - r->last_pulse_ms;
        if (r->have_pulse && since_last < RL_BOUNCE_MS) {
            /* contact bounce right after an accepted pulse: ignore */
        } else {
            rl_edge edge = RL_EDGE_NONE;
            if (!r->in_burst && r->have_pulse && since_last <= RL_PAIR_MS) {
                /* the second pulse of a pair: a burst, stamped at the pair's first pulse */
                r->in_burst = 1;
                *stamp = r->last_pulse_ms;
                edge = RL_EDGE_ON;
            }
            r->last_pulse_ms = now;
            r->have_pulse = 1;
            return edge;
        }
    }

    if (r->have_pulse) {
        uint32_t quiet = now - r->last_pulse_ms;
        if (r->in_burst) {
            if (quiet >= RL_BURST_END_MS) {
                r->in_burst = 0;
                r->have_pulse = 0;
                *stamp = r->last_pulse_ms;
                return RL_EDGE_OFF;
            }
        } else if (quiet > RL_PAIR_MS) {
            r->have_pulse = 0; /* a lone spike: forget it */
        }
    }
    return RL_EDGE_NONE;
}

/* ---- hook debouncer ---- */

void rl_hook_init(rl_hook *h, uint32_t now)
{
    h->since = now;
    h->stable = 1;
    h->candidate = 1;
}

rl_edge rl_hook_sample(rl_hook *h, uint8_t level, uint32_t now, uint32_t *stamp)
{
    uint8_t high = level ? 1 : 0;
    if (high != h->candidate) {
        h->candidate = high;
        h->since = now;
        return RL_EDGE_NONE;
    }
    if (h->candidate != h->stable && (uint32_t)(now - h->since) >= RL_HOOK_DEBOUNCE_MS) {
        h->stable = h->candidate;
        *stamp = h->since;
        return h->stable ? RL_EDGE_ON : RL_EDGE_OFF;
    }
    return RL_EDGE_NONE;
}

/* ---- checksum and line formatting ---- */

uint8_t rl_checksum(const char *body, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++) sum ^= (uint8_t)body[i];
    return sum;
}

static const char HEX[] = "0123456789ABCDEF";

void rl_line_begin(rl_line *l, char *buf, size_t cap)
{
    l->buf = buf;
    l->len = 0;
    l->cap = cap;
    l->overflow = 0;
}

void rl_line_char(rl_line *l, char c)
{
    if (l->len < l->cap) {
        l->buf[l->len++] = c;
    } else {
        l->overflow = 1;
    }
}

void rl_line_str(rl_line *l, const char *s)
{
    while (*s) rl_line_char(l, *s++);
}

void rl_line_u32(rl_line *l, uint32_t v)
{
    char digits[10];
    uint8_t n = 0;
    do {
        digits[n++] = (char)('0' + (v % 10u));
        v /= 10u;
    } while (v != 0);
    while (n > 0) rl_line_char(l, digits[--n]);
}

size_t rl_line_finish(rl_line *l)
{
    uint8_t sum = rl_checksum(l->buf, l->len < l->cap ? l->len : l->cap);
    rl_line_char(l, '*');
    rl_line_char(l, HEX[sum >> 4]);
    rl_line_char(l, HEX[sum & 0x0F]);
    rl_line_char(l, '\n');
    if (l->overflow || l->len > RL_MAX_LINE) return 0;
    if (l->len < l->cap) l->buf[l->len] = '\0';
    return l->len;
}

size_t rl_format_hello(char *out, size_t cap)
{
    rl_line l;
    rl_line_begin(&l, out, cap);
    rl_line_str(&l, "HELLO " RL_FIRMWARE_NAME " " RL_FIRMWARE_VERSION " proto=");
    rl_line_u32(&l, RL_PROTO);
    rl_line_str(&l, " channels=");
    rl_line_u32(&l, RL_CHANNELS);
    return rl_line_finish(&l);
}

static size_t format_edge(char *out, size_t cap, const char *kind, uint8_t ch, rl_edge edge, uint32_t ms)
{
    rl_line l;
    if (edge != RL_EDGE_ON && edge != RL_EDGE_OFF) return 0;
    rl_line_begin(&l, out, cap);
    rl_line_str(&l, kind);
    rl_line_char(&l, ' ');
    rl_line_u32(&l, ch);
    rl_line_str(&l, edge == RL_EDGE_ON ? " ON " : " OFF ");
    rl_line_u32(&l, ms);
    return rl_line_finish(&l);
}

size_t rl_format_ring(char *out, size_t cap, uint8_t ch, rl_edge edge, uint32_t ms)
{
    return format_edge(out, cap, "RING", ch, edge, ms);
}

size_t rl_format_hook(char *out, size_t cap, uint8_t ch, rl_edge edge, uint32_t ms)
{
    return format_edge(out, cap, "HOOK", ch, edge, ms);
}

size_t rl_format_hb(char *out, size_t cap, uint32_t seq, uint32_t ms)
{
    rl_line l;
    rl_line_begin(&l, out, cap);
    rl_line_str(&l, "HB ");
    rl_line_u32(&l, seq);
    rl_line_char(&l, ' ');
    rl_line_u32(&l, ms);
    return rl_line_finish(&l);
}

size_t rl_format_err(char *out, size_t cap, const char *code, const char *text)
{
    rl_line l;
    rl_line_begin(&l, out, cap);
    rl_line_str(&l, "ERR ");
    rl_line_str(&l, code);
    if (text && *text) {
        rl_line_char(&l, ' ');
        rl_line_str(&l, text);
    }
    return rl_line_finish(&l);
}

size_t rl_format_txfull(char *out, size_t cap, uint16_t lost)
{
    rl_line l;
    rl_line_begin(&l, out, cap);
    rl_line_str(&l, "ERR txfull ");
    rl_line_u32(&l, lost);
    rl_line_str(&l, lost == 1 ? " line lost" : " lines lost");
    return rl_line_finish(&l);
}

/* ---- commands ---- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static uint8_t body_is(const char *body, size_t len, const char *word)
{
    size_t i = 0;
    for (; i < len; i++) {
        if (word[i] == '\0' || word[i] != body[i]) return 0;
    }
    return word[i] == '\0';
}

rl_cmd rl_parse_command(const char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r') len--;
    if (len == 0) return RL_CMD_NONE;
    if (len + 1 > RL_MAX_LINE) return RL_CMD_OVERFLOW;
    if (len < 3 || line[len - 3] != '*') return RL_CMD_BAD_CHECKSUM;
    int hi = hex_value(line[len - 2]);
    int lo = hex_value(line[len - 1]);
    if (hi < 0 || lo < 0) return RL_CMD_BAD_CHECKSUM;
    size_t body_len = len - 3;
    if (rl_checksum(line, body_len) != (uint8_t)((hi << 4) | lo)) return RL_CMD_BAD_CHECKSUM;
    if (body_is(line, body_len, "PING")) return RL_CMD_PING;
    if (body_is(line, body_len, "HELLO?")) return RL_CMD_HELLO;
    return RL_CMD_UNKNOWN;
}

void rl_rx_init(rl_rx *rx)
{
    rx->len = 0;
    rx->overflow = 0;
}

rl_cmd rl_rx_feed(rl_rx *rx, uint8_t byte)
{
    if (byte == '\n') {
        rl_cmd cmd = rx->overflow ? RL_CMD_OVERFLOW : rl_parse_command(rx->buf, rx->len);
        rl_rx_init(rx);
        return cmd;
    }
    if (rx->len < sizeof rx->buf) {
        rx->buf[rx->len++] = (char)byte;
    } else {
        rx->overflow = 1; /* keep discarding until the '\n' */
    }
    return RL_CMD_NONE;
}

/* ---- heartbeat ---- */

void rl_hb_timer_init(rl_hb_timer *t)
{
    t->countdown = RL_HB_PERIOD_MS;
}

uint8_t rl_hb_timer_tick(rl_hb_timer *t)
{
    if (--t->countdown == 0) {
        t->countdown = RL_HB_PERIOD_MS;
        return 1;
    }
    return 0;
}
