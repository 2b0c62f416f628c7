/*
 * What the H5 page runs first (inlined into the head of index.html by config/index.ts).
 *
 * 1. It loads the app: `preload()` fetches the app's scripts (`window.__xfScripts`, written by the
 *    HTML) without running them, `start()` runs them, in order.
 * 2. On the scan landing it first draws the landing itself. On a slow phone the app's scripts take
 *    seconds to arrive and as long again to run, and while they run nothing else can paint. A villager
 *    who scanned a signboard should not wait for them to see the grid and its services: this asks the
 *    two things the landing shows (`grid.resolve`, `grid.catalogue`) at once, then fetches the app's
 *    scripts, draws the answers into the placeholder and only then starts the app (at the latest
 *    after START_AFTER ms). A service tapped
 *    here is remembered and opened by the app's landing when it is ready
 *    (src/components/bootLanding.ts), which takes over these answers instead of asking again.
 *    Anything unusual (no code, a failure, an old browser) leaves the placeholder and starts the app.
 *
 * Plain ES5 with no imports: it runs before any bundle, and must never keep the app from starting.
 */
;(function () {
  'use strict'
  var w = window
  var START_AFTER = 3000
  var started = false

  /** For the load benchmark (scripts/bench-load.ts) and the browser's performance panel. */
  function mark(name) {
    if (w.performance && w.performance.mark) w.performance.mark(name)
  }

  /** `fn` once the body is parsed (this runs in the head). */
  function whenReady(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn)
    else fn()
  }

  /** Download the app's scripts (not run yet). */
  function preload() {
    var files = w.__xfScripts || []
    for (var i = 0; i < files.length; i++) {
      var l = document.createElement('link')
      l.rel = 'preload'
      l.as = 'script'
      l.href = files[i]
      document.head.appendChild(l)
    }
  }

  function start() {
    if (started) return
    started = true
    whenReady(addScripts)
  }

  function addScripts() {
    mark('xf:app-start')
    var files = w.__xfScripts || []
    for (var i = 0; i < files.length; i++) {
      var s = document.createElement('script')
      s.src = files[i]
      s.async = false // in order, as `defer` would
      document.body.appendChild(s)
    }
  }

  /** Taro's H5 storage keeps `{ data }` as JSON. */
  function stored(key) {
    try {
      var item = JSON.parse(w.localStorage.getItem(key) || 'null')
      return item && typeof item === 'object' ? item.data : null
    } catch (e) {
      return null
    }
  }

  /** POST /fn/<name>, as src/api does: the function's `{ ok, data | code, message }`, or a rejection. */
  function call(name, action, data) {
    return w
      .fetch('/fn/' + name, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + (stored('xf.devToken') || '') },
        body: JSON.stringify({ action: action, data: data }),
      })
      .then(function (res) {
        if (res.status !== 200) throw new Error('HTTP ' + res.status)
        return res.json().then(function (body) {
          return body.result
        })
      })
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag)
    if (cls) e.className = cls
    if (text) e.textContent = text
    return e
  }

  /** The grid card and the service list, as the app's landing shows them; taps remembered in `boot.pick`. */
  function draw(boot, grid, services) {
    var root = document.getElementById('boot')
    // the app came first: nothing to draw
    if (!root || boot.done) return
    var page = el('div', 'boot-page' + (stored('xf.care') === 'on' ? ' boot-care' : ''))
    var card = el('div', 'boot-card')
    card.appendChild(el('div', 'boot-h1', grid.name))
    card.appendChild(el('div', 'boot-line', grid.townshipName + ' · ' + grid.villageName))
    if (grid.hotline) {
      var tel = el('a', 'boot-hotline')
      tel.href = 'tel:' + grid.hotline
      tel.appendChild(el('span', 'boot-muted', '网格服务热线（点击拨打）'))
      tel.appendChild(el('b', '', grid.hotline))
      card.appendChild(tel)
    }
    page.appendChild(card)
    page.appendChild(el('div', 'boot-h2', '请选择需要的服务'))
    var status = el('div', 'boot-status', '页面还在加载，可以先选服务')
    status.setAttribute('role', 'status')
    var list = el('div', 'boot-list')
    list.id = 'boot-services'
    services.forEach(function (s) {
      var item = el('button', 'boot-service')
      item.type = 'button'
      var name = el('span', 'boot-name', s.name)
      name.setAttribute('elementtiming', 'services') // when it is painted (Element Timing; scripts/bench-load.ts)
      item.appendChild(name)
      var note = s.emergency ? '紧急情况，请直接拨打 ' + s.emergency.number : s.description
      if (note) item.appendChild(el('span', 'boot-muted', note))
      item.onclick = function () {
        if (boot.pick) return
        boot.pick = s.id
        item.className += ' boot-picked'
        status.textContent = '正在打开「' + s.name + '」，请稍候…'
      }
      list.appendChild(item)
    })
    page.appendChild(list)
    page.appendChild(status)
    root.className = 'boot-landing'
    root.removeAttribute('role')
    root.textContent = ''
    root.appendChild(page)
    mark('xf:landing-drawn')
  }

  /** The scan landing's code from the URL: /#/pages/scan/index?code=…, or ?code=… before the hash (as the app reads it). */
  function landingCode() {
    var hash = w.location.hash
    var route = /^#\/pages\/scan\/index(?:\?([^#]*))?$/.exec(hash)
    var codeIn = function (params) {
      var m = /(?:^|&)code=([0-9A-Za-z]{1,20})(?:&|$)/.exec(params || '')
      return m ? m[1].toUpperCase() : null
    }
    return (route && codeIn(route[1])) || (route || !hash || hash === '#/' ? codeIn(w.location.search.slice(1)) : null)
  }

  try {
    var code = landingCode()
    if (!code || !w.fetch || !w.Promise) {
      preload()
      return start()
    }
    var boot = { code: code, grid: call('grid', 'resolve', { code: code }), catalogue: call('grid', 'catalogue', {}), pick: null, done: false }
    w.__xfBoot = boot
    w.setTimeout(start, START_AFTER)
    Promise.all([boot.grid, boot.catalogue])
      .then(function (r) {
        mark('xf:landing-answered')
        // only now the app's scripts: downloaded and compiled earlier, they would hold up these
        // answers on a slow phone's one thread (measured: the list paints ~250 ms later)
        preload()
        whenReady(function () {
          if (r[0] && r[0].ok && r[1] && r[1].ok && r[1].data.length) draw(boot, r[0].data, r[1].data)
          // let the landing paint before the app's scripts take the main thread
          w.requestAnimationFrame(function () {
            w.setTimeout(start, 0)
          })
        })
      })
      .catch(start) // the app asks again, with its retries and messages
  } catch (e) {
    start()
  }
})()
