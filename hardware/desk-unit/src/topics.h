// MQTT names for one desk unit (README "MQTT", base thirdring/<site>). Pure: host-tested.
#pragma once

#include <stddef.h>

namespace thirdring {

// Site names: [a-z0-9-]+ (the bridge's config rule). Desk ids: a letter or digit, then letters, digits,
// '-' and '_'. Both end up inside topics, so MQTT wildcards and '/' are impossible by construction.
bool isValidSite(const char* site);
bool isValidDeskId(const char* desk);

struct DeskTopics {
  char set[128];           // thirdring/<site>/desk/<desk>/set           (in, retained by the bridge)
  char action[128];        // thirdring/<site>/desk/<desk>/action        (out, not retained)
  char availability[128];  // thirdring/<site>/desk/<desk>/availability  (out, retained, last will)
  char clientId[64];       // thirdring-desk-<desk>
};

// False (and `out` unusable) if site or desk is invalid or a name would not fit.
bool buildDeskTopics(const char* site, const char* desk, DeskTopics& out);

}  // namespace thirdring
