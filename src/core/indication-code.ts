// An indication as one number, so a step can tell cheaply whether a desk's indication changed:
// 0 none, 1 callback, 2 everyone, 3 nearby; from 4, five per line (4 + 5 × line number + k):
// k = 0..2 "yours" with buzzer off / chirp / ring, 3 hold, 4 hold while its reminder chirps.
// A leaf of its own: the desk state starts at "none" without importing the indication rules.
export const NONE_CODE = 0, CALLBACK_CODE = 1, EVERYONE_CODE = 2, NEARBY_CODE = 3, PER_LINE_BASE = 4, PER_LINE = 5, HOLD_K = 3;
