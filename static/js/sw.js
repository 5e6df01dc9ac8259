/* Relais service worker: shows the offline page in the visitor's language
   when a page cannot be fetched. Pages always come from the network first,
   so nothing stale is shown while online. */
"use strict";

var SHELL = "relais-shell-v1";
var LANGUAGES = ["en", "fr", "es", "pt", "ru", "ar"];

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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") {
    return;
  }
  event.respondWith(
    fetch(request).catch(function () {
      return caches.match(request).then(function (kept) {
        if (kept) {
          return kept;
        }
        var lang = new URL(request.url).pathname.split("/")[1];
        if (LANGUAGES.indexOf(lang) === -1) {
          lang = "en";
        }
        return caches.match(offlineUrl(lang));
      });
    })
  );
});
