/* "Keep this course on my phone" (docs/offline.md).

   A kept course is one Cache Storage entry, "relais-course-<id>", holding
   every URL of the course's offline manifest (courses/offline.py) and, under
   META, what was kept: the manifest's version, each URL's revision, the size.
   The service worker (static/js/sw.js) answers from these caches when the
   network cannot. On every page load online, each kept course's manifest is
   asked for again with its version as ETag: a 304 costs a few hundred bytes;
   a new version fetches the URLs whose revision changed and deletes the
   ones no longer listed (an unpublished lesson).

   Loaded on every page (base.html). The course page's panel and the
   dashboard's list are rendered hidden by the server and shown from here:
   without JavaScript or the Cache API, nothing is offered. */
(function () {
  "use strict";
  if (!("caches" in window) || !window.fetch || !window.Promise) {
    return;
  }
  var PREFIX = "relais-course-";
  var META = location.origin + "/__relais-kept__";
  // Tells the worker to go to the network, not to the kept copy being renewed.
  var FRESH = { "X-Relais-Keep": "1" };

  function language() {
    return document.documentElement.lang || "en";
  }

  function formatSize(bytes) {
    var units = [["megabyte", 1048576], ["kilobyte", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (bytes >= units[i][1]) {
        try {
          return new Intl.NumberFormat(language(), {
            style: "unit", unit: units[i][0], maximumFractionDigits: 1
          }).format(bytes / units[i][1]);
        } catch (error) {
          return (bytes / units[i][1]).toFixed(1) + (i ? " KB" : " MB");
        }
      }
    }
    return bytes + " B";
  }

  function fetchManifest(url, documents, etag) {
    var headers = { "Accept": "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    return fetch(url + (documents ? "?documents=1" : ""), {
      credentials: "same-origin", cache: "no-store", headers: headers
    });
  }

  function etagOf(meta) {
    return '"' + meta.version + "-" + (meta.documents ? 1 : 0) + '"';
  }

  function readMeta(name) {
    return caches.open(name).then(function (cache) {
      return cache.match(META).then(function (found) {
        return found ? found.json() : null;
      });
    });
  }

  // Every kept course on this phone: [{name, meta}]. A cache without META is
  // a keep that was interrupted: deleted, so its bytes do not linger.
  function keptCourses() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0;
      }).map(function (name) {
        return readMeta(name).then(function (meta) {
          if (!meta) {
            return caches.delete(name).then(function () { return null; });
          }
          return { name: name, meta: meta };
        });
      }));
    }).then(function (found) {
      return found.filter(Boolean);
    });
  }

  // Fetches `entries` into `cache`, three at a time; onBytes(n) after each.
  function store(cache, entries, onBytes) {
    var queue = entries.slice();
    function next() {
      var entry = queue.shift();
      if (!entry) {
        return Promise.resolve();
      }
      return fetch(entry.url, { credentials: "same-origin", headers: FRESH })
        .then(function (response) {
          if (!response.ok || response.redirected) {
            throw new Error(entry.url + ": " + response.status);
          }
          return cache.put(entry.url, response);
        }).then(function () {
          onBytes(entry.bytes);
          return next();
        });
    }
    return Promise.all([next(), next(), next()]);
  }

  function writeMeta(cache, manifest, manifestUrl) {
    var meta = {
      course: manifest.course,
      title: manifest.title,
      url: manifest.url,
      manifest: manifestUrl,
      version: manifest.version,
      documents: manifest.documents_included,
      bytes: manifest.bytes,
      revs: {},
      keptAt: new Date().toISOString()
    };
    manifest.entries.forEach(function (entry) {
      meta.revs[entry.url] = entry.rev;
    });
    return cache.put(META, new Response(JSON.stringify(meta), {
      headers: { "Content-Type": "application/json" }
    })).then(function () { return meta; });
  }

  function keep(manifestUrl, documents, onProgress) {
    return fetchManifest(manifestUrl, documents).then(function (response) {
      if (!response.ok) {
        throw new Error("manifest: " + response.status);
      }
      return response.json();
    }).then(function (manifest) {
      var done = 0;
      return caches.open(manifest.cache).then(function (cache) {
        // META last: until it is written, the course is not listed as kept.
        return cache.delete(META).then(function () {
          return store(cache, manifest.entries, function (bytes) {
            done += bytes;
            onProgress(manifest.bytes ? done / manifest.bytes : 1);
          });
        }).then(function () {
          return writeMeta(cache, manifest, manifestUrl);
        });
      });
    });
  }

  // Brings one kept course up to date with its manifest; resolves to its
  // meta (the same when nothing changed). A 404 (signed out, or no longer
  // enrolled) leaves the copy alone: "remove" is the participant's choice.
  function refresh(kept) {
    var meta = kept.meta;
    return fetchManifest(meta.manifest, meta.documents, etagOf(meta))
      .then(function (response) {
        if (response.status !== 200) {
          return meta;
        }
        return response.json().then(function (manifest) {
          return caches.open(kept.name).then(function (cache) {
            var wanted = {};
            manifest.entries.forEach(function (entry) {
              wanted[entry.url] = true;
            });
            var changed = manifest.entries.filter(function (entry) {
              return meta.revs[entry.url] !== entry.rev;
            });
            return store(cache, changed, function () {}).then(function () {
              return cache.keys();
            }).then(function (requests) {
              return Promise.all(requests.filter(function (request) {
                var url = new URL(request.url);
                var key = url.origin === location.origin
                  ? url.pathname + url.search : request.url;
                return request.url !== META && !wanted[key] && !wanted[request.url];
              }).map(function (request) {
                return cache.delete(request);
              }));
            }).then(function () {
              return writeMeta(cache, manifest, meta.manifest);
            });
          });
        });
      }).catch(function () {
        return meta;  // offline, or the line dropped: next time
      });
  }

  function refreshAll() {
    if (navigator.onLine === false) {
      return keptCourses();
    }
    return keptCourses().then(function (all) {
      return Promise.all(all.map(function (kept) {
        return refresh(kept).then(function (meta) {
          return { name: kept.name, meta: meta };
        });
      }));
    });
  }

  // --- The course page's panel ---------------------------------------------

  function panel(section, ready) {
    var button = section.querySelector("[data-keep-button]");
    var remove = section.querySelector("[data-keep-remove]");
    var documents = section.querySelector("[data-keep-documents]");
    var bar = section.querySelector("[data-keep-progress]");
    var status = section.querySelector("[data-keep-status]");
    var name = section.dataset.keepCache;

    function showKept(meta) {
      status.textContent = section.dataset.msgKept + " · " + formatSize(meta.bytes);
      section.dataset.kept = meta.version;
      button.hidden = true;
      remove.hidden = false;
      bar.hidden = true;
      if (documents) {
        documents.checked = meta.documents;
        documents.disabled = true;
      }
    }

    function showNotKept(message) {
      delete section.dataset.kept;
      button.hidden = false;
      button.disabled = false;
      remove.hidden = true;
      bar.hidden = true;
      status.textContent = message || "";
      if (documents) {
        documents.disabled = false;
      }
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      status.textContent = section.dataset.msgKeeping;
      keep(section.dataset.keepManifest, documents && documents.checked,
        function (fraction) { bar.value = Math.round(fraction * 100); })
        .then(showKept)
        .catch(function () {
          caches.delete(name).then(function () {
            showNotKept(section.dataset.msgFailed);
          });
        });
    });
    remove.addEventListener("click", function () {
      caches.delete(name).then(function () {
        showNotKept(section.dataset.msgRemoved);
      });
    });

    ready.then(function (all) {
      var mine = all.filter(function (kept) { return kept.name === name; })[0];
      if (mine) {
        showKept(mine.meta);
      }
      section.hidden = false;
    });
  }

  // --- The dashboard's list --------------------------------------------------

  function dashboardList(section, ready) {
    var list = section.querySelector("[data-kept-items]");
    ready.then(function (all) {
      all.sort(function (a, b) { return a.meta.title.localeCompare(b.meta.title); });
      all.forEach(function (kept) {
        var item = document.createElement("li");
        item.className = "card";
        item.dataset.keptCourse = kept.meta.course;
        var title = document.createElement("h3");
        var link = document.createElement("a");
        link.href = kept.meta.url;
        link.textContent = kept.meta.title;
        title.appendChild(link);
        var size = document.createElement("p");
        size.className = "meta";
        size.dataset.keptSize = kept.meta.bytes;
        size.textContent = formatSize(kept.meta.bytes);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = section.dataset.msgRemove;
        remove.addEventListener("click", function () {
          caches.delete(kept.name).then(function () {
            item.remove();
            section.hidden = !list.children.length;
          });
        });
        item.appendChild(title);
        item.appendChild(size);
        item.appendChild(remove);
        list.appendChild(item);
      });
      section.hidden = !all.length;
    });
  }

  var ready = refreshAll().catch(function () { return []; });
  document.querySelectorAll("[data-keep-course]").forEach(function (section) {
    panel(section, ready);
  });
  document.querySelectorAll("[data-kept-list]").forEach(function (section) {
    dashboardList(section, ready);
  });
  // For the browser tests: the page's kept courses are checked and shown.
  ready.then(function () { document.documentElement.dataset.keptReady = "1"; });
}());
