window.rgsiteSessions && window.rgsiteSessions({
 "$schema": "https://example.org/bare/sessions.schema.json",
 "version": 1,
 "site": {
  "title": "Bare Reading Group",
  "url": "https://example.org/bare/",
  "timezone": "Europe/London"
 },
 "sessions": []
}, document.currentScript && document.currentScript.src);
