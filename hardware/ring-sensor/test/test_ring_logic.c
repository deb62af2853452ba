/*
 * Host unit tests for src/ring_logic.c (the same file the firmware is built from).
 * Run: make -C hardware/ring-sensor test
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring_logic.h"

static int failures;
static int checks;

#define CHECK(cond)                                                                                           \
    do {                                                                                                      \
        checks++;                                                                                             \
        if (!(cond)) {                                                                                        \
            failures++;                                                                                       \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, __func__, #cond);           \
        }                                                                                                     \
    } while (0)

#define CHECK_EQ_U(actual, expected)                                                                          \
    do {                                                                                                      \
        unsigned long a_ = (unsigned long)(actual), e_ = (unsigned long)(expected);                           \
        checks++;                                                                                             \
        if (a_ != e_) {                                                                                       \
            failures++;                                                                                       \
            fprintf(stderr, "%s:%d: %s: %s == %lu, expected %lu\n", __FILE__, __LINE__, __func__, #actual,   \
                    a_, e_);                                                                                  \
        }                                                                                                     \
    } while (0)

#define CHECK_STR(actual, expected)                                                                           \
    do {                                                                                                      \
        const char *a_ = (actual), *e_ = (expected);                                                          \
        checks++;                                                                                             \
        if (strcmp(a_, e_) != 0) {                                                                            \
            failures++;                                                                                       \
            fprintf(stderr, "%s:%d: %s: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__, __func__, a_, e_); \
        }                                                                                                     \
    } while (0)

/* ---------------------------------------------------------------------------------------------------------
 * A simulated optocoupler output: a pulse train of `hz` starting at `start` for `duration` ms, each pulse LOW
 * for `low_ms`; optional bounce (extra edges 1-5 ms after each pulse's falling edge) and dropped pulses.
 * --------------------------------------------------------------------------------------------------------- */
typedef struct {
    uint32_t start;
    uint32_t duration;
    double hz;
    uint32_t low_ms;
    int bounce;
    int drop[4]; /* indexes of pulses that never happen; -1 = none */
} train_t;

static int train_count(const train_t *t)
{
    double period = 1000.0 / t->hz;
    int n = 0;
    while ((double)n * period < (double)t->duration) n++;
    return n;
}

static uint32_t pulse_at(const train_t *t, int k)
{
    return t->start + (uint32_t)((double)k * 1000.0 / t->hz + 0.5);
}

static int dropped(const train_t *t, int k)
{
    for (int i = 0; i < 4; i++)
        if (t->drop[i] == k) return 1;
    return 0;
}

/* Level (1 = HIGH) of the train at ms `now`. */
static uint8_t train_level(const train_t *t, uint32_t now)
{
    int n = train_count(t);
    for (int k = 0; k < n; k++) {
        if (dropped(t, k)) continue;
        uint32_t p = pulse_at(t, k);
        if (now < p || now >= p + t->low_ms) continue;
        uint32_t d = now - p;
        /* bounce: HIGH at +1 and +3 ms, so LOW->HIGH->LOW edges at +1/+2 and +3/+4, settled LOW from +4 */
        if (t->bounce && (d == 1 || d == 3)) return 1;
        return 0;
    }
    return 1;
}

static uint32_t first_pulse(const train_t *t)
{
    for (int k = 0;; k++)
        if (!dropped(t, k)) return pulse_at(t, k);
}

static uint32_t last_pulse(const train_t *t)
{
    for (int k = train_count(t) - 1;; k--)
        if (!dropped(t, k)) return pulse_at(t, k);
}

typedef struct {
    rl_edge edge;
    uint32_t stamp;
    uint32_t at; /* when it was emitted */
} event_rec;

typedef struct {
    event_rec ev[64];
    int n;
} events;

/* Sample up to two trains on one channel from ms `from` to `to` (inclusive). */
static void run_ring(rl_ring *r, const train_t *a, const train_t *b, uint32_t from, uint32_t to, events *out)
{
    out->n = 0;
    for (uint32_t now = from;; now++) {
        uint8_t level = train_level(a, now);
        if (b) level = (uint8_t)(level & train_level(b, now));
        uint32_t stamp = 0xDEADBEEF;
        rl_edge e = rl_ring_sample(r, level, now, &stamp);
        if (e != RL_EDGE_NONE && out->n < 64) out->ev[out->n++] = (event_rec){e, stamp, now};
        if (now == to) break;
    }
}

static train_t train(uint32_t start, uint32_t duration, double hz)
{
    train_t t = {start, duration, hz, (uint32_t)(400.0 / hz), 0, {-1, -1, -1, -1}};
    return t;
}

/* ---- ring ---- */

static void test_ring_25hz_one_burst(void)
{
    rl_ring r;
    rl_ring_init(&r);
    train_t t = train(1000, 1000, 25.0);
    events ev;
    run_ring(&r, &t, NULL, 1, 3000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[0].stamp, first_pulse(&t));
    CHECK(ev.ev[0].at - first_pulse(&t) <= 100);
    CHECK_EQ_U(ev.ev[0].at - first_pulse(&t), 40); /* the second pulse of a 25 Hz train */
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&t));
    CHECK_EQ_U(ev.ev[1].at, last_pulse(&t) + RL_BURST_END_MS);
    CHECK_EQ_U(r.in_burst, 0);
}

static void test_ring_20hz_on_within_100ms(void)
{
    rl_ring r;
    rl_ring_init(&r);
    train_t t = train(500, 400, 20.0);
    events ev;
    run_ring(&r, &t, NULL, 1, 1500, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[0].stamp, 500);
    CHECK_EQ_U(ev.ev[0].at, 550);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&t));
}

static void test_ring_bounce_ignored(void)
{
    for (int hz = 20; hz <= 25; hz += 5) {
        rl_ring r;
        rl_ring_init(&r);
        train_t t = train(300, 1000, (double)hz);
        t.bounce = 1;
        events ev;
        run_ring(&r, &t, NULL, 1, 2000, &ev);
        CHECK_EQ_U(ev.n, 2);
        CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
        CHECK_EQ_U(ev.ev[0].stamp, first_pulse(&t));
        CHECK_EQ_U(ev.ev[0].at, pulse_at(&t, 1)); /* the bounce edges at +2 and +4 ms did not pair up */
        CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
        CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&t)); /* not a bounce edge after it */
    }
}

static void test_ring_missing_pulse_keeps_burst(void)
{
    /* 20 Hz, pulse 6 missing: a 100 ms gap inside the burst */
    rl_ring r;
    rl_ring_init(&r);
    train_t t = train(200, 1000, 20.0);
    t.drop[0] = 6;
    t.bounce = 1;
    events ev;
    run_ring(&r, &t, NULL, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&t));

    /* the second pulse missing: the first pair is 100 ms apart and still starts the burst, within 100 ms */
    rl_ring_init(&r);
    t = train(200, 1000, 20.0);
    t.drop[0] = 1;
    run_ring(&r, &t, NULL, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[0].stamp, 200);
    CHECK(ev.ev[0].at - 200 <= 100);

    /* the last pulse missing: OFF is stamped with the last pulse that came */
    rl_ring_init(&r);
    t = train(200, 1000, 25.0);
    t.drop[0] = train_count(&t) - 1;
    run_ring(&r, &t, NULL, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[1].stamp, pulse_at(&t, train_count(&t) - 2));
}

static void test_ring_gap_splits_bursts(void)
{
    /* UK-style double ring: 400 ms on, 200 ms off, 400 ms on -> two bursts */
    rl_ring r;
    rl_ring_init(&r);
    train_t a = train(100, 400, 25.0);
    train_t b = train(700, 400, 25.0);
    events ev;
    run_ring(&r, &a, &b, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 4);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[0].stamp, 100);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&a));
    CHECK_EQ_U(ev.ev[2].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[2].stamp, 700);
    CHECK_EQ_U(ev.ev[3].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[3].stamp, last_pulse(&b));
}

static void test_ring_lone_spike_is_not_a_ring(void)
{
    rl_ring r;
    events ev;

    /* one pulse */
    rl_ring_init(&r);
    train_t spike = train(500, 1, 25.0);
    run_ring(&r, &spike, NULL, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 0);

    /* one pulse with contact bounce: the bounce edges must not pair up into a burst */
    rl_ring_init(&r);
    spike.bounce = 1;
    run_ring(&r, &spike, NULL, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 0);
    CHECK_EQ_U(r.in_burst, 0);

    /* two spikes further apart than 120 ms */
    rl_ring_init(&r);
    train_t s2 = train(621, 1, 25.0);
    run_ring(&r, &spike, &s2, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 0);

    /* ...but 120 ms apart they are a (very short) burst */
    rl_ring_init(&r);
    train_t s3 = train(620, 1, 25.0);
    spike.bounce = 0;
    run_ring(&r, &spike, &s3, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 2);
}

static void test_ring_across_uptime_wrap(void)
{
    rl_ring r;
    rl_ring_init(&r);
    train_t t = train(0xFFFFFF00u, 1000, 25.0); /* uptime wraps after 256 ms */
    events ev;
    run_ring(&r, &t, NULL, 0xFFFFFE00u, 0x00000700u, &ev);
    /* (the pulse whose LOW straddles the wrap is lost by train_level: one missing pulse, which is fine) */
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[0].stamp, 0xFFFFFF00u);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[1].stamp, last_pulse(&t));
    CHECK(last_pulse(&t) < 0x1000u); /* the burst really ended after the wrap */
    CHECK_EQ_U(ev.ev[1].at, last_pulse(&t) + RL_BURST_END_MS);
}

/* ---- hook ---- */

typedef struct {
    uint32_t from, to; /* LOW in [from, to) */
} low_span;

static void run_hook(rl_hook *h, const low_span *spans, int n_spans, uint32_t from, uint32_t to, events *out)
{
    out->n = 0;
    for (uint32_t now = from; now <= to; now++) {
        uint8_t level = 1;
        for (int i = 0; i < n_spans; i++)
            if (now >= spans[i].from && now < spans[i].to) level = 0;
        uint32_t stamp = 0;
        rl_edge e = rl_hook_sample(h, level, now, &stamp);
        if (e != RL_EDGE_NONE && out->n < 64) out->ev[out->n++] = (event_rec){e, stamp, now};
    }
}

static void test_hook_debounce(void)
{
    rl_hook h;
    events ev;

    /* off-hook for 100 ms: OFF once the LOW has been stable 30 ms, ON 30 ms after release */
    rl_hook_init(&h, 0);
    low_span held = {1000, 1100};
    run_hook(&h, &held, 1, 1, 2000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[0].stamp, 1000);
    CHECK_EQ_U(ev.ev[0].at, 1000 + RL_HOOK_DEBOUNCE_MS);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_ON);
    CHECK_EQ_U(ev.ev[1].stamp, 1100);
    CHECK_EQ_U(ev.ev[1].at, 1100 + RL_HOOK_DEBOUNCE_MS);

    /* glitches shorter than 30 ms count for nothing */
    rl_hook_init(&h, 0);
    low_span glitches[] = {{100, 129}, {300, 301}, {500, 510}};
    run_hook(&h, glitches, 3, 1, 1000, &ev);
    CHECK_EQ_U(ev.n, 0);

    /* a bouncy lift: 1 ms toggles for 10 ms, then stable LOW */
    rl_hook_init(&h, 0);
    low_span bouncy[] = {{200, 201}, {202, 203}, {204, 205}, {206, 207}, {208, 209}, {210, 600}};
    run_hook(&h, bouncy, 6, 1, 1000, &ev);
    CHECK_EQ_U(ev.n, 2);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[0].stamp, 210);
    CHECK_EQ_U(ev.ev[0].at, 240);
    CHECK_EQ_U(ev.ev[1].edge, RL_EDGE_ON);

    /* LOW at boot: the assumed state is on-hook, so it reports OFF after 30 ms */
    rl_hook_init(&h, 0);
    low_span from_boot = {0, 5000};
    run_hook(&h, &from_boot, 1, 1, 100, &ev);
    CHECK_EQ_U(ev.n, 1);
    CHECK_EQ_U(ev.ev[0].edge, RL_EDGE_OFF);
    CHECK_EQ_U(ev.ev[0].stamp, 1);
}

/* ---- checksum and formatting ---- */

static void test_checksum_known_lines(void)
{
    CHECK_EQ_U(rl_checksum("PING", 4), 0x10);
    CHECK_EQ_U(rl_checksum("HELLO?", 6), 0x7D);
    CHECK_EQ_U(rl_checksum("RING 1 ON 1234", 14), 0x06);
    CHECK_EQ_U(rl_checksum("", 0), 0x00);
}

static void test_format_lines(void)
{
    char out[RL_MAX_LINE + 1];
    size_t n;

    n = rl_format_ring(out, sizeof out, 1, RL_EDGE_ON, 1234);
    CHECK_STR(out, "RING 1 ON 1234*06\n");
    CHECK_EQ_U(n, strlen("RING 1 ON 1234*06\n"));

    n = rl_format_hello(out, sizeof out);
    {
        const char *body = "HELLO thirdring-ring-sensor 1.0.0 proto=1 channels=4";
        char expected[RL_MAX_LINE + 1];
        snprintf(expected, sizeof expected, "%s*%02X\n", body, rl_checksum(body, strlen(body)));
        CHECK_STR(out, expected);
        CHECK_EQ_U(n, strlen(expected));
    }

    rl_format_hb(out, sizeof out, 0, 1000);
    {
        char expected[32];
        snprintf(expected, sizeof expected, "HB 0 1000*%02X\n", rl_checksum("HB 0 1000", 9));
        CHECK_STR(out, expected);
    }

    rl_format_hook(out, sizeof out, 3, RL_EDGE_OFF, 0);
    {
        char expected[32];
        snprintf(expected, sizeof expected, "HOOK 3 OFF 0*%02X\n", rl_checksum("HOOK 3 OFF 0", 12));
        CHECK_STR(out, expected);
    }

    rl_format_ring(out, sizeof out, 4, RL_EDGE_OFF, 4294967295u);
    {
        const char *body = "RING 4 OFF 4294967295";
        char expected[40];
        snprintf(expected, sizeof expected, "%s*%02X\n", body, rl_checksum(body, strlen(body)));
        CHECK_STR(out, expected);
    }

    rl_format_err(out, sizeof out, "checksum", "bad or missing checksum");
    {
        const char *body = "ERR checksum bad or missing checksum";
        char expected[60];
        snprintf(expected, sizeof expected, "%s*%02X\n", body, rl_checksum(body, strlen(body)));
        CHECK_STR(out, expected);
    }

    rl_format_txfull(out, sizeof out, 3);
    {
        const char *body = "ERR txfull 3 lines lost";
        char expected[40];
        snprintf(expected, sizeof expected, "%s*%02X\n", body, rl_checksum(body, strlen(body)));
        CHECK_STR(out, expected);
    }

    /* checksum digits are upper-case: find a line whose checksum has a letter */
    rl_format_hb(out, sizeof out, 7, 7);
    {
        char *star = strchr(out, '*');
        CHECK(star != NULL);
        if (star) {
            for (int i = 1; i <= 2; i++) CHECK(strchr("0123456789ABCDEF", star[i]) != NULL);
        }
    }
}

static void test_line_length_limit(void)
{
    char out[RL_MAX_LINE + 1];
    char big[RL_MAX_LINE * 2];

    /* the longest lines the firmware can produce fit in 80 bytes */
    CHECK(rl_format_hb(out, sizeof out, 4294967295u, 4294967295u) <= RL_MAX_LINE);
    CHECK(rl_format_ring(out, sizeof out, 255, RL_EDGE_OFF, 4294967295u) <= RL_MAX_LINE);
    CHECK(rl_format_hook(out, sizeof out, 255, RL_EDGE_OFF, 4294967295u) > 0);
    CHECK(rl_format_hello(out, sizeof out) <= RL_MAX_LINE);
    CHECK(rl_format_txfull(out, sizeof out, 65535) > 0);
    CHECK(rl_format_err(out, sizeof out, "overflow", "line longer than 80 bytes") > 0);

    /* exactly 80 bytes fits, 81 does not: "ERR x " + text + "*HH\n" */
    char text[RL_MAX_LINE];
    size_t fixed = strlen("ERR x ") + 4;
    memset(text, 'a', sizeof text);
    text[RL_MAX_LINE - fixed] = '\0';
    CHECK_EQ_U(rl_format_err(big, sizeof big, "x", text), RL_MAX_LINE);
    text[RL_MAX_LINE - fixed] = 'a';
    text[RL_MAX_LINE - fixed + 1] = '\0';
    CHECK_EQ_U(rl_format_err(big, sizeof big, "x", text), 0);

    /* a too-small buffer is never overrun (ASan would catch it) and gives 0 */
    char tiny[8];
    CHECK_EQ_U(rl_format_ring(tiny, sizeof tiny, 1, RL_EDGE_ON, 1234), 0);
    CHECK_EQ_U(rl_format_ring(out, sizeof out, 1, RL_EDGE_NONE, 1), 0);
}

/* ---- commands ---- */

static rl_cmd parse(const char *s)
{
    return rl_parse_command(s, strlen(s));
}

static rl_cmd feed(rl_rx *rx, const char *s)
{
    rl_cmd last = RL_CMD_NONE;
    for (; *s; s++) {
        rl_cmd c = rl_rx_feed(rx, (uint8_t)*s);
        if (c != RL_CMD_NONE) last = c;
    }
    return last;
}

static void test_parse_command(void)
{
    CHECK_EQ_U(parse("PING*10"), RL_CMD_PING);
    CHECK_EQ_U(parse("HELLO?*7D"), RL_CMD_HELLO);
    CHECK_EQ_U(parse("HELLO?*7d"), RL_CMD_HELLO); /* lenient about hex case on input */
    CHECK_EQ_U(parse("PING*10\r"), RL_CMD_PING);
    CHECK_EQ_U(parse("HELLO?*7D\r"), RL_CMD_HELLO);
    CHECK_EQ_U(parse(""), RL_CMD_NONE);
    CHECK_EQ_U(parse("\r"), RL_CMD_NONE);
    CHECK_EQ_U(parse("PING*11"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("PING*01"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("PING"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("PING*1"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("PING*1G"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("PING*100"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(parse("*00"), RL_CMD_UNKNOWN); /* empty body, checksum fine */
    CHECK_EQ_U(parse("PONG*16"), RL_CMD_UNKNOWN);
    CHECK_EQ_U(parse("PINGX*48"), RL_CMD_UNKNOWN);
    CHECK_EQ_U(parse("PIN*57"), RL_CMD_UNKNOWN);
    CHECK_EQ_U(rl_checksum("PONG", 4), 0x16);
    CHECK_EQ_U(rl_checksum("PINGX", 5), 0x48);
    CHECK_EQ_U(rl_checksum("PIN", 3), 0x57);
}

static void test_rx_lines(void)
{
    rl_rx rx;
    rl_rx_init(&rx);
    CHECK_EQ_U(feed(&rx, "PING*10\n"), RL_CMD_PING);
    CHECK_EQ_U(feed(&rx, "HELLO?*7D\r\n"), RL_CMD_HELLO);
    CHECK_EQ_U(feed(&rx, "\n\r\n"), RL_CMD_NONE);
    CHECK_EQ_U(feed(&rx, "PING*11\n"), RL_CMD_BAD_CHECKSUM);
    CHECK_EQ_U(feed(&rx, "PING*10"), RL_CMD_NONE); /* not complete yet */
    CHECK_EQ_U(feed(&rx, "\n"), RL_CMD_PING);

    /* line length: 80 bytes including '\n' is fine, 81 is an overflow; a '\r' before '\n' is not counted */
    char body[200];
    char line[220];
    for (int total = 78; total <= 82; total++) {
        size_t body_len = (size_t)total - 4; /* body + "*HH\n" */
        memset(body, 'A', body_len);
        body[body_len] = '\0';
        snprintf(line, sizeof line, "%s*%02X\n", body, rl_checksum(body, body_len));
        CHECK_EQ_U(strlen(line), (size_t)total);
        CHECK_EQ_U(feed(&rx, line), total <= RL_MAX_LINE ? RL_CMD_UNKNOWN : RL_CMD_OVERFLOW);
        snprintf(line, sizeof line, "%s*%02X\r\n", body, rl_checksum(body, body_len));
        CHECK_EQ_U(feed(&rx, line), total <= RL_MAX_LINE ? RL_CMD_UNKNOWN : RL_CMD_OVERFLOW);
        /* after any of these, the next line parses normally */
        CHECK_EQ_U(feed(&rx, "PING*10\n"), RL_CMD_PING);
    }

    /* a very long line reports one overflow, then the receiver recovers */
    memset(line, 'x', 200);
    line[200] = '\n';
    line[201] = '\0';
    int overflows = 0;
    for (const char *p = line; *p; p++)
        if (rl_rx_feed(&rx, (uint8_t)*p) == RL_CMD_OVERFLOW) overflows++;
    CHECK_EQ_U(overflows, 1);
    CHECK_EQ_U(feed(&rx, "HELLO?*7D\n"), RL_CMD_HELLO);
}

static void test_hb_timer(void)
{
    rl_hb_timer t;
    rl_hb_timer_init(&t);
    uint32_t fired[8];
    int n = 0;
    for (uint32_t ms = 1; ms <= 3500; ms++)
        if (rl_hb_timer_tick(&t) && n < 8) fired[n++] = ms;
    CHECK_EQ_U(n, 3);
    CHECK_EQ_U(fired[0], 1000);
    CHECK_EQ_U(fired[1], 2000);
    CHECK_EQ_U(fired[2], 3000);
}

int main(void)
{
    test_ring_25hz_one_burst();
    test_ring_20hz_on_within_100ms();
    test_ring_bounce_ignored();
    test_ring_missing_pulse_keeps_burst();
    test_ring_gap_splits_bursts();
    test_ring_lone_spike_is_not_a_ring();
    test_ring_across_uptime_wrap();
    test_hook_debounce();
    test_checksum_known_lines();
    test_format_lines();
    test_line_length_limit();
    test_parse_command();
    test_rx_lines();
    test_hb_timer();

    if (failures) {
        fprintf(stderr, "ring_logic: %d of %d checks FAILED\n", failures, checks);
        return EXIT_FAILURE;
    }
    printf("ring_logic: all %d checks passed\n", checks);
    return EXIT_SUCCESS;
}
