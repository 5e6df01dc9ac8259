/* Registers the service worker (static/js/sw.js, served at /sw.js). */
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" });
}
