// Selects the build configuration: src/config.h if present (yours, gitignored), else the example.
#pragma once

#if __has_include("config.h")
#include "config.h"
#else
#warning "src/config.h not found: building with config.example.h defaults (copy it to config.h and edit)"
#include "config.example.h"
#endif

#if !defined(LED_TYPE) || (LED_TYPE != LED_TYPE_WS2812 && LED_TYPE != LED_TYPE_RGB_PWM)
#error "LED_TYPE must be LED_TYPE_WS2812 or LED_TYPE_RGB_PWM (see config.example.h)"
#endif
