window.rgsiteSessions && window.rgsiteSessions({
 "$schema": "https://example.org/golden/sessions.schema.json",
 "version": 1,
 "site": {
  "title": "Golden Reading Group",
  "url": "https://example.org/golden/",
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
 "sessions": [
  {
   "id": "2023-03-16-machines",
   "title": "Computing machinery",
   "start": "2023-03-16T19:00:00+00:00",
   "end": "2023-03-16T20:00:00+00:00",
   "time_known": true,
   "date_approximate": false,
   "status": "upcoming",
   "draft": false,
   "kind": null,
   "speakers": [
    {
     "id": "turing",
     "name": "Alan Turing",
     "affiliation": null,
     "url": "https://example.org/golden/speakers/turing/"
    }
   ],
   "topics": [
    {
     "name": "computation",
     "url": "https://example.org/golden/topics/computation/"
    }
   ],
   "series": {
    "name": "Foundations",
    "url": "https://example.org/golden/series/foundations/"
   },
   "papers": [
    {
     "id": "openreview-net-forum-id-imitation",
     "title": "openreview.net/forum?id=imitation",
     "url": "https://openreview.net/forum?id=imitation",
     "page": "https://example.org/golden/papers/#paper-openreview-net-forum-id-imitation"
    }
   ],
   "resources": [],
   "location": "Room 4.02",
   "join_url": "https://example.org/join",
   "register_url": null,
   "url": "https://example.org/golden/sessions/2023-03-16-machines/",
   "description": "Can machines think? We read the imitation game.",
   "abstract": null
  },
  {
   "id": "2023-03-23-reading-week",
   "title": "Reading week",
   "start": "2023-03-23T18:30:00+00:00",
   "end": "2023-03-23T20:00:00+00:00",
   "time_known": true,
   "date_approximate": false,
   "status": "break",
   "draft": false,
   "kind": null,
   "speakers": [],
   "topics": [],
   "series": null,
   "papers": [],
   "resources": [],
   "location": null,
   "join_url": null,
   "register_url": null,
   "url": null,
   "description": null,
   "abstract": null
  },
  {
   "id": "2023-03-30-coffee",
   "title": "Coffee & code",
   "start": "2023-03-30",
   "end": "2023-03-30",
   "time_known": false,
   "date_approximate": false,
   "status": "upcoming",
   "draft": false,
   "kind": {
    "id": "coffee",
    "name": "Tech coffee"
   },
   "speakers": [],
   "topics": [],
   "series": null,
   "papers": [],
   "resources": [],
   "location": "The kitchen",
   "join_url": "https://example.org/join",
   "register_url": "https://example.org/register?event=coffee",
   "url": "https://example.org/golden/sessions/2023-03-30-coffee/",
   "description": "Bring a laptop and a question about $O(n \\log n)$ sorting.",
   "abstract": "Bring a laptop and a question about O(nlogn) sorting."
  },
  {
   "id": "2023-04-06-slot",
   "title": "Open slot",
   "start": "2023-04-06T18:30:00+01:00",
   "end": "2023-04-06T20:00:00+01:00",
   "time_known": true,
   "date_approximate": false,
   "status": "tba",
   "draft": false,
   "kind": {
    "id": "talk",
    "name": "Talk"
   },
   "speakers": [],
   "topics": [],
   "series": null,
   "papers": [],
   "resources": [],
   "location": "Room 4.02",
   "join_url": "https://example.org/join",
   "register_url": null,
   "url": "https://example.org/golden/sessions/2023-04-06-slot/",
   "description": null,
   "abstract": null
  }
 ]
}, document.currentScript && document.currentScript.src);
