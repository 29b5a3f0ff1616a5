// perfkit flame graph: browser side. Inlined into every flame graph page perfkit writes.
//
// The page carries the call tree as JSON in a data block (the element with id perfkit-flame): frames
// once each ([name, location, category]) and the nodes in pre-order ([frame, depth, …values]), so the
// tree is rebuilt from depths. Profile pages hold [self, total] per node (µs in the window); differential
// pages [variantSelf, variantTotal, baselineSelf, baselineTotal] in a common unit (ns/op or share).
// Drawn on one canvas, root at the top; hover for figures, click to zoom, type to search.
'use strict'
;(function () {
  var ROW = 18
  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
  var CATEGORY_HUES = { app: [24, 88], dependency: [145, 45], node: [205, 60], native: [220, 8], harness: [270, 35] }

  var data = JSON.parse(document.getElementById('perfkit-flame').textContent || '{}')
  var diff = data.mode === 'differential'
  var frames = data.frames || []
  var canvas = document.getElementById('flame')
  var box = document.getElementById('flame-box')
  var tip = document.getElementById('tip')
  var search = document.getElementById('search')
  var matchNote = document.getElementById('match')
  var crumbs = document.getElementById('crumbs')

  // --- the tree -----------------------------------------------------------------------------------
  var nodes = []
  var parents = []
  ;(data.nodes || []).forEach(function (row, index) {
    var node = { frame: frames[row[0]] || ['?', '', 'native'], depth: row[1], values: row.slice(2), children: [], parent: null, index: index }
    while (parents.length > node.depth) parents.pop()
    node.parent = parents.length ? parents[parents.length - 1] : null
    if (node.parent) node.parent.children.push(node)
    parents.push(node)
    nodes.push(node)
  })
  var root = nodes[0]
  if (!root) return
  // Browsers refuse canvases much taller than 32k pixels: frames deeper than this are not drawn.
  var MAX_ROWS = 1700
  var maxDepth = Math.min(MAX_ROWS - 1, nodes.reduce(function (m, n) { return Math.max(m, n.depth) }, 0))

  var shape = 'variant' // differential pages: whose time sets the widths
  function total(node) { return diff ? (shape === 'variant' ? node.values[1] : node.values[3]) : node.values[1] }
  function self(node) { return diff ? (shape === 'variant' ? node.values[0] : node.values[2]) : node.values[0] }
  function delta(node) { return node.values[0] - node.values[2] }
  var maxDelta = diff ? nodes.reduce(function (m, n) { return n === root ? m : Math.max(m, Math.abs(delta(n))) }, 0) : 0

  // --- figures ------------------------------------------------------------------------------------
  function sig(value) {
    var rounded = Number(Number(value).toPrecision(3))
    var magnitude = rounded === 0 ? 0 : Math.floor(Math.log10(Math.abs(rounded)))
    return magnitude >= 2 ? String(Math.round(value)) : rounded.toFixed(Math.max(0, 2 - magnitude))
  }
  function duration(ns) {
    var a = Math.abs(ns)
    if (a >= 1e9) return sig(ns / 1e9) + ' s'
    if (a >= 1e6) return sig(ns / 1e6) + ' ms'
    if (a >= 1e3) return sig(ns / 1e3) + ' µs'
    return sig(ns) + ' ns'
  }
  function percent(fraction) {
    var p = fraction * 100
    var a = Math.abs(p)
    return (a === 0 ? '0' : p.toFixed(a < 1 ? 2 : a < 10 ? 1 : 0)) + '%'
  }
  /** A value of the page's unit: µs in the window (profiles), ns/op or a share (differentials). */
  function amount(value) {
    if (!diff) return duration(value * 1000) + (data.ops ? ' · ' + duration((value * 1000) / data.ops) + '/op' : '')
    return data.unit === 'ns/op' ? duration(value) + '/op' : percent(value)
  }
  function signed(value) {
    var text = amount(value)
    return value > 0 ? '+' + text : text
  }

  // --- colours ------------------------------------------------------------------------------------
  function hash(text) {
    var h = 2166136261
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
    return (h >>> 0) / 4294967296
  }
  function categoryColour(node) {
    var hs = CATEGORY_HUES[node.frame[2]] || CATEGORY_HUES.native
    var light = 58 + Math.round(hash(node.frame[0]) * 18)
    return 'hsl(' + hs[0] + ', ' + hs[1] + '%, ' + light + '%)'
  }
  function mix(a, b, t) {
    return 'rgb(' + [0, 1, 2].map(function (i) { return Math.round(a[i] + (b[i] - a[i]) * t) }).join(', ') + ')'
  }
  var NEUTRAL = [226, 232, 240]
  var MORE = [220, 38, 38]
  var LESS = [37, 99, 235]
  function diffColour(node) {
    var d = delta(node)
    if (!maxDelta || d === 0) return mix(NEUTRAL, NEUTRAL, 0)
    var t = Math.min(1, Math.sqrt(Math.abs(d) / maxDelta))
    return mix(NEUTRAL, d > 0 ? MORE : LESS, 0.15 + 0.85 * t)
  }

  // --- layout and drawing -------------------------------------------------------------------------
  var zoom = root
  var query = ''
  var placed = [] // per depth: [{ node, x, w }]
  var hovered = null

  function isMatch(node) {
    if (!query) return false
    return (node.frame[0] + ' ' + node.frame[1]).toLowerCase().indexOf(query) >= 0
  }

  function layout(width) {
    placed = []
    for (var d = 0; d <= maxDepth; d++) placed.push([])
    var scale = total(zoom) > 0 ? width / total(zoom) : 0
    // The zoomed frame's ancestors span the whole width, to click back out.
    for (var a = zoom.parent; a; a = a.parent) if (a.depth <= maxDepth) placed[a.depth].push({ node: a, x: 0, w: width, ancestor: true })
    var stack = [{ node: zoom, x: 0 }]
    while (stack.length) {
      var item = stack.pop()
      var w = total(item.node) * scale
      if (w < 0.4 || item.node.depth > maxDepth) continue
      placed[item.node.depth].push({ node: item.node, x: item.x, w: w })
      var x = item.x
      for (var i = 0; i < item.node.children.length; i++) {
        var child = item.node.children[i]
        stack.push({ node: child, x: x })
        x += total(child) * scale
      }
    }
  }

  function draw() {
    var width = box.clientWidth
    var height = (maxDepth + 1) * ROW
    var ratio = window.devicePixelRatio || 1
    canvas.width = Math.round(width * ratio)
    canvas.height = Math.round(height * ratio)
    canvas.style.width = width + 'px'
    canvas.style.height = height + 'px'
    var ctx = canvas.getContext('2d')
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    ctx.clearRect(0, 0, width, height)
    ctx.font = FONT
    ctx.textBaseline = 'middle'
    layout(width)
    var matched = 0
    placed.forEach(function (row, depth) {
      row.forEach(function (p) {
        var node = p.node
        var match = isMatch(node)
        if (match && !p.ancestor) matched += self(node)
        var fill = p.ancestor ? '#e2e8f0' : diff ? diffColour(node) : categoryColour(node)
        if (query && !match) ctx.globalAlpha = 0.35
        ctx.fillStyle = match ? '#d946ef' : fill
        ctx.fillRect(p.x, depth * ROW, Math.max(p.w - 1, 0.5), ROW - 1)
        ctx.globalAlpha = 1
        if (p.w > 28) {
          ctx.fillStyle = '#0f172a'
          var label = node === root ? (data.rootLabel || 'all') : node.frame[0]
          var text = label
          var room = p.w - 8
          if (ctx.measureText(text).width > room) {
            var n = Math.max(1, Math.floor((text.length * room) / ctx.measureText(text).width) - 1)
            text = text.slice(0, n) + '…'
          }
          if (ctx.measureText(text).width <= room) ctx.fillText(text, p.x + 4, depth * ROW + ROW / 2)
        }
        if (hovered === node) {
          ctx.strokeStyle = '#0f172a'
          ctx.lineWidth = 1.5
          ctx.strokeRect(p.x + 0.75, depth * ROW + 0.75, Math.max(p.w - 2.5, 0.5), ROW - 2.5)
        }
      })
    })
    if (matchNote) matchNote.textContent = query ? 'matching frames: ' + percent(total(root) > 0 ? matched / total(root) : 0) + ' of self time' : ''
    if (crumbs) crumbs.textContent = zoom === root ? '' : 'zoomed into ' + zoom.frame[0] + ' — click a frame above it, the reset button or press Esc to zoom out'
  }

  function at(event) {
    var rect = canvas.getBoundingClientRect()
    var x = event.clientX - rect.left
    var depth = Math.floor((event.clientY - rect.top) / ROW)
    var row = placed[depth] || []
    for (var i = 0; i < row.length; i++) if (x >= row[i].x && x < row[i].x + row[i].w) return row[i].node
    return null
  }

  function describe(node) {
    var lines = []
    var name = node === root ? data.rootLabel || 'all' : node.frame[0]
    lines.push(['strong', name])
    if (node.frame[1]) lines.push(['code', node.frame[1]])
    if (!diff) {
      lines.push(['span', 'total ' + amount(node.values[1]) + ' (' + percent(root.values[1] > 0 ? node.values[1] / root.values[1] : 0) + ')'])
      lines.push(['span', 'self ' + amount(node.values[0]) + ' (' + percent(root.values[1] > 0 ? node.values[0] / root.values[1] : 0) + ')'])
    } else {
      lines.push(['span', 'self: ' + amount(node.values[2]) + ' → ' + amount(node.values[0]) + ' (' + signed(delta(node)) + ')'])
      lines.push(['span', 'total: ' + amount(node.values[3]) + ' → ' + amount(node.values[1])])
      lines.push(['em', (data.baseline || 'baseline') + ' → ' + (data.variant || 'variant')])
    }
    return lines
  }

  function showTip(node, event) {
    while (tip.firstChild) tip.removeChild(tip.firstChild)
    describe(node).forEach(function (line) {
      var el = document.createElement(line[0])
      el.textContent = line[1]
      tip.appendChild(el)
    })
    tip.hidden = false
    var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8)
    var y = event.clientY + 16
    if (y + tip.offsetHeight > window.innerHeight - 8) y = event.clientY - tip.offsetHeight - 10
    tip.style.left = Math.max(4, x) + 'px'
    tip.style.top = Math.max(4, y) + 'px'
  }

  canvas.addEventListener('mousemove', function (event) {
    var node = at(event)
    if (node !== hovered) {
      hovered = node
      draw()
    }
    if (node) showTip(node, event)
    else tip.hidden = true
    canvas.style.cursor = node ? 'pointer' : 'default'
  })
  canvas.addEventListener('mouseleave', function () {
    hovered = null
    tip.hidden = true
    draw()
  })
  canvas.addEventListener('click', function (event) {
    var node = at(event)
    if (!node) return
    zoom = node
    draw()
  })
  document.getElementById('reset').addEventListener('click', function () {
    zoom = root
    draw()
  })
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      zoom = root
      draw()
    }
  })
  if (search) {
    search.addEventListener('input', function () {
      query = search.value.trim().toLowerCase()
      draw()
    })
  }
  var shapeButtons = document.querySelectorAll('[data-shape]')
  for (var i = 0; i < shapeButtons.length; i++) {
    shapeButtons[i].addEventListener('click', function (event) {
      shape = event.currentTarget.getAttribute('data-shape')
      for (var j = 0; j < shapeButtons.length; j++) shapeButtons[j].setAttribute('aria-pressed', String(shapeButtons[j] === event.currentTarget))
      zoom = root
      draw()
    })
  }
  window.addEventListener('resize', draw)
  draw()
})()
