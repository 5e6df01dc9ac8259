/* Relais service worker (docs/offline.md).

   - Pages come from the network first, so nothing stale is shown online.
     When the network fails, a kept copy is shown (a course kept on this
     phone, static/js/keep.js), else the offline page in the visitor's
     language.
   - A page of a kept course fetched online replaces its kept copy, so the
     copy follows edits (and the reader's progress) between refreshes.
   - Images, styles and scripts of a kept course come from its cache first:
     they only change with a new manifest version, which keep.js fetches.
   - Requests keep.js makes to fill a cache (header X-Relais-Keep) always go
     to the network. */
"use strict";

var SHELL = "relais-shell-v1";
var COURSE_PREFIX = "relais-course-";  // one cache per kept course
var LANGUAGES = ["en", "fr", "es", "pt", "ru", "ar"];
// A kept rendition answers for another width of the same image offline
// (a phone whose screen asks the srcset for 1080 px when 360 and 720 are kept).
var RENDITION = /^(.*\/images\/.+)\.width-\d+(\.format-webp\.webp)$/;

function offlineUrl(lang) {
  return "/" + lang + "/offline/";
}

self.addEventListener("install", function (event) {
  // Keep one offline page per language, ready before the line drops.
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(LANGUAGES.map(offlineUrl));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// The kept copy of a URL in any course cache, or undefined. Vary is ignored:
// a kept page was fetched by keep.js with the same cookies as the reader's.
function kept(request) {
  return caches.match(request, { ignoreVary: true });
}

// The name of the course cache that keeps `request`, or undefined.
function keeperOf(request) {
  return caches.keys().then(function (names) {
    var courses = names.filter(function (name) {
      return name.indexOf(COURSE_PREFIX) === 0;
    });
    return courses.reduce(function (found, name) {
      return found.then(function (hit) {
        if (hit) {
          return hit;
        }
        return caches.open(name).then(function (cache) {
          return cache.match(request, { ignoreVary: true });
        }).then(function (match) { return match ? name : undefined; });
      });
    }, Promise.resolve(undefined));
  });
}

// Another kept width of the same image rendition, or undefined.
function keptRendition(url) {
  var parts = RENDITION.exec(new URL(url).pathname);
  if (!parts) {
    return Promise.resolve(undefined);
  }
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(COURSE_PREFIX) === 0;
    }).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.keys(); });
    }));
  }).then(function (lists) {
    var all = [].concat.apply([], lists);
    var same = all.filter(function (request) {
      var other = RENDITION.exec(new URL(request.url).pathname);
      return other && other[1] === parts[1];
    });
    return same.length ? caches.match(same[same.length - 1]) : undefined;
  });
}

function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(keeperOf(request).then(function (name) {
        return name && caches.open(name).then(function (cache) {
          return cache.put(request.url, copy);
        });
      }));
    }
    return response;
  }).catch(function () {
    return kept(request).then(function (found) {
      if (found) {
        return found;
      }
      var lang = new URL(request.url).pathname.split("/")[1];
      if (LANGUAGES.indexOf(lang) === -1) {
        lang = "en";
      }
      return caches.match(offlineUrl(lang));
    });
  });
}

function asset(request) {
  return kept(request).then(function (found) {
    return found || fetch(request).catch(function (error) {
      return keptRendition(request.url).then(function (other) {
        if (other) {
          return other;
        }
        throw error;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.headers.get("X-Relais-Keep")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
    return;
  }
  // HOOK offline-progress: the progress queue (static/js/offline-progress.js)
  // sends POSTs, which pass by above untouched; a handler of its own (a
  // "sync" or "message" listener) can be added beside this one.
  if (new URL(request.url).origin === self.location.origin) {
    event.respondWith(asset(request));
  }
});
