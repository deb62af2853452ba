// Arduino IDE entry point for the thirdring desk unit. The firmware lives in src/ (main.cpp has setup()
// and loop()); the Arduino IDE compiles the src/ folder of a sketch recursively, so this file stays empty.
// Open this folder as a sketch, install the libraries listed in README.md, copy src/config.example.h to
// src/config.h and edit it, select "ESP32 Dev Module" and upload.
