/* Progress made offline (docs/offline.md, "Progress made offline").

   Online, "Mark as done" and the quiz forms post as usual (and work
   without JavaScript). Offline, it keeps what was done in IndexedDB, each item
   with an id made here (so that sending it twice counts once) and the time
   it was done, and sends the queue to the server when the connection
   returns: on the `online` event, on each page load, and every minute.
   The server scores quizzes (the answer key never comes to the phone) and
   answers each item: applied, duplicate (already received) or refused;
   every answered item leaves the queue. The texts shown come from the page
   (data attributes of #offline-progress), translated by Django. */
(function () {
  "use strict";
  var box = document.getElementById("offline-progress");
  if (!box || !window.indexedDB || !window.fetch || !window.crypto ||
      !crypto.randomUUID) {
    return;
  }
  var list = box.querySelector("ul");
  var user = box.dataset.user;
  var BATCH = 50;         // the server takes at most 50 items a request
  var RETRY_MS = 60000;
  var sending = false;
  // Another tab of this site may send an item queued here: it tells us.
  var tabs = window.BroadcastChannel ? new BroadcastChannel("relais-progress") : null;
  if (tabs) {
    tabs.onmessage = function (event) {
      if (document.querySelector('[data-item="' + event.data.id + '"]')) {
        note(event.data.id, event.data.text);
      }
    };
  }

  // One IndexedDB database, one store of queued items keyed by their id.
  function withStore(mode, work) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("relais-progress", 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore("queue", { keyPath: "id" });
      };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var db = open.result;
        var tx = db.transaction("queue", mode);
        var request = work(tx.objectStore("queue"));
        tx.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }

  // The note for one item: beside its form when it was queued on this
  // page, otherwise a line of the page's status list.
  function note(id, text) {
    var el = document.querySelector('[data-item="' + id + '"]');
    if (!el) {
      el = document.createElement("li");
      el.dataset.item = id;
      list.appendChild(el);
      box.hidden = false;
    }
    el.textContent = text;
  }

  // The CSRF token: the cookie's current value (it may have changed since
  // the page was loaded), else the one the page was rendered with.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : box.dataset.csrf;
  }

  function itemFrom(form) {
    var item = {
      id: crypto.randomUUID(),
      kind: form.dataset.offline,
      lesson_id: Number(form.dataset.lessonId),
      done_at: new Date().toISOString(),
      user: user
    };
    if (item.kind === "quiz") {
      item.quiz_id = form.dataset.quizId;
      item.answers = {};
      new FormData(form).forEach(function (value, key) {
        if (key.indexOf("answer-") !== 0) { return; }
        var question = key.slice("answer-".length);
        (item.answers[question] = item.answers[question] || []).push(value);
      });
    }
    return item;
  }

  // Offline: the item is kept instead of posting the form. Online, the
  // form posts as usual, but a copy is kept first (`posted`, the quiz's
  // submission token set to its id) and sent without a word on a later
  // page: if the post went through, the server counts it once; if the line
  // dropped on the way, the press is not lost.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.offline) { return; }
    event.preventDefault();
    if (form.dataset.kept) { return; }  // a second press: one item a form
    var item = itemFrom(form);
    var online = navigator.onLine;
    form.dataset.kept = online ? "posted" : "queued";
    if (online) {
      sending = true;  // this page is leaving: the next one sends the copy
      item.posted = true;
      var token = form.querySelector('input[name="submission_token"]');
      if (token) { token.value = item.id; }
    }
    withStore("readwrite", function (store) { return store.put(item); })
      .then(function () {
        if (online) { form.submit(); return; }
        var p = document.createElement("p");
        p.className = "offline-note";
        p.setAttribute("role", "status");
        p.dataset.item = item.id;
        p.textContent = box.dataset.queued;
        form.after(p);
        form.querySelectorAll("button, input").forEach(function (el) {
          el.disabled = true;
        });
      }, function () {
        if (online) { form.submit(); }  // nowhere to keep it: post anyway
      });
  });

  function send(items) {
    return fetch(box.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({
        items: items.map(function (item) {
          var copy = Object.assign({}, item);
          delete copy.user;  // the server knows who is signed in
          delete copy.posted;
          return copy;
        })
      })
    }).then(function (response) {
      if (response.status === 400) {
        // Unreadable: it never will be. Dropped, with the server's reason.
        return response.json().then(function (data) {
          return items.map(function (item) {
            return { id: item.id, status: "refused", message: data.error };
          });
        });
      }
      if (!response.ok) { throw new Error("sync: " + response.status); }
      return response.json().then(function (data) { return data.results; });
    });
  }

  // Send this user's queued items; what the server answered leaves the
  // queue, the rest (a failed request) waits for the next try.
  function sync() {
    if (sending || !navigator.onLine) { return; }
    sending = true;
    withStore("readonly", function (store) { return store.getAll(); })
      .then(function (all) {
        var mine = all.filter(function (item) { return item.user === user; });
        if (!mine.length) { return; }
        var batch = mine.slice(0, BATCH);
        var posted = {};
        batch.forEach(function (item) { posted[item.id] = item.posted; });
        return send(batch).then(function (results) {
          return withStore("readwrite", function (store) {
            results.forEach(function (result) {
              var text = result.status === "refused" ? result.message
                : (box.dataset.synced + " " + (result.message || "")).trim();
              store.delete(result.id);
              if (posted[result.id]) { return; }  // the form's post said it
              note(result.id, text);
              if (tabs) { tabs.postMessage({ id: result.id, text: text }); }
            });
          });
        });
      })
      .catch(function () { /* kept for the next try */ })
      .then(function () { sending = false; });
  }

  // What is still waiting, said on every page that can send it.
  withStore("readonly", function (store) { return store.getAll(); })
    .then(function (all) {
      all.forEach(function (item) {
        if (item.user === user && !item.posted) {
          note(item.id, box.dataset.queued);
        }
      });
    })
    .catch(function () {})
    .then(sync);
  // Back to this page from the browser's history: a form posted from it
  // may be used again, and the queue sent.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll('form[data-kept="posted"]').forEach(function (f) {
      delete f.dataset.kept;
    });
    sending = false;
    sync();
  });
  window.addEventListener("online", sync);
  setInterval(sync, RETRY_MS);
})();
