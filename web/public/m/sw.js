// Service worker of the engineer app (scope /m/). For now it only makes the app installable
// and takes over at once on update; offline caching comes later (C9). Requests go straight
// to the network: nothing here may ever serve a stale API answer.
const VERSION = 'bihuan-m-1'

self.addEventListener('install', () => {
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})

self.addEventListener('fetch', () => {
  // network only (no respondWith): the browser handles the request as usual
})

self.addEventListener('message', (event) => {
  if (event.data === 'version') event.source?.postMessage(VERSION)
})
