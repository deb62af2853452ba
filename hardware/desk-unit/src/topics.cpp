#include "topics.h"

#include <stdio.h>
#include <string.h>

namespace thirdring {

namespace {

bool isLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLowerOrDigit(c) || (c >= 'A' && c <= 'Z'); }

bool format(char* buffer, size_t size, const char* site, const char* desk, const char* suffix) {
  const int written = snprintf(buffer, size, "thirdring/%s/desk/%s%s", site, desk, suffix);
  return written > 0 && static_cast<size_t>(written) < size;
}

}  // namespace

bool isValidSite(const char* site) {
  if (site == nullptr || *site == '\0') return false;
  for (const char* c = site; *c; ++c) {
    if (!isLowerOrDigit(*c) && *c != '-') return false;
  }
  return true;
}

bool isValidDeskId(const char* desk) {
  if (desk == nullptr || !isAlnum(*desk)) return false;
  for (const char* c = desk; *c; ++c) {
    if (!isAlnum(*c) && *c != '-' && *c != '_') return false;
  }
  return true;
}

bool buildDeskTopics(const char* site, const char* desk, DeskTopics& out) {
  if (!isValidSite(site) || !isValidDeskId(desk)) return false;
  const int written = snprintf(out.clientId, sizeof out.clientId, "thirdring-desk-%s", desk);
  if (written <= 0 || static_cast<size_t>(written) >= sizeof out.clientId) return false;
  return format(out.set, sizeof out.set, site, desk, "/set") &&
         format(out.action, sizeof out.action, site, desk, "/action") &&
         format(out.availability, sizeof out.availability, site, desk, "/availability");
}

}  // namespace thirdring
