// Serial console (115200 baud, one command per line): read and change the stored settings, show status.
// Non-blocking: poll() consumes whatever bytes have arrived.
#pragma once

#include <stddef.h>

#include "settings.h"

namespace thirdring {

class Console {
 public:
  using StatusPrinter = void (*)();
  void begin(const Settings* active, StatusPrinter printStatus);
  void poll();

 private:
  void execute(char* line);
  static void printHelp();

  const Settings* active_ = nullptr;
  StatusPrinter printStatus_ = nullptr;
  char line_[160] = {};
  size_t length_ = 0;
  bool overflow_ = false;
};

}  // namespace thirdring
