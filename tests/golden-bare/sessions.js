window.rgsiteSessions && window.rgsiteSessions({
 "$schema": "https://example.org/bare/sessions.schema.json",
 "version": 1,
 "site": {
  "title": "Bare Reading Group",
  "url": "https://example.org/bare/",
  "timezone": "Europe/London",
  "language": "en",
  "hour12": true,
  "labels": {
   "next": "Next sessions of %(group)s",
   "all": "All sessions of %(group)s",
   "none": "No sessions are scheduled yet.",
   "tba": "To be announced",
   "time_tba": "%(day)s, time to be announced",
   "date_approximate": "%(day)s (date approximate)"
  }
 },
 "sessions": []
}, document.currentScript && document.currentScript.src);
