// Exponential reconnect delay: 1 s, 2 s, 4 s … capped at 30 s; reset after a successful connection.
// Pure (no Arduino includes) so the host test can check the sequence.
#pragma once

#include <stdint.h>

namespace thirdring {

class Backoff {
 public:
  explicit Backoff(uint32_t initialMs = 1000, uint32_t maxMs = 30000)
      : initialMs_(initialMs), maxMs_(maxMs), nextMs_(initialMs) {}

  // The delay to wait before the next attempt; each call doubles the one after it, up to the cap.
  uint32_t next() {
    const uint32_t current = nextMs_;
    nextMs_ = current >= maxMs_ / 2 ? maxMs_ : current * 2;
    return current;
  }
  uint32_t peek() const { return nextMs_; }
  void reset() { nextMs_ = initialMs_; }

 private:
  uint32_t initialMs_, maxMs_, nextMs_;
};

}  // namespace thirdring
