import { DateTime, Settings } from 'luxon';

// Calendar arithmetic in the core (business hours, schedules) must not depend on the machine's locale, so the
// locale is fixed. It also spares luxon asking Intl for the system locale: an office in UTC never loads the ICU
// time-zone data (about 8 MB).
Settings.defaultLocale = 'en-US';

export { DateTime };
