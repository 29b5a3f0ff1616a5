// perfkit HTML report: browser side. Inlined into every report after Chart.js and the box-plot plugin.
//
// The page carries its charts as JSON in a data block (the element with id perfkit-data): each spec is
// a Chart.js configuration with no functions in it, plus tooltip lines and an axis band the renderer
// formatted already. So this script knows nothing about scenarios, units or kinds: a new scenario kind
// adds chart specs on the server side, not code here.
'use strict'
;(function () {
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

  /**
   * Shades the band of "no meaningful change" (1 ± minimum effect) behind the data and draws the
   * reference line at 1. Options (JSON): { axis: 'x' | 'y', from, to, at, fill, line }.
   */
  var bandPlugin = {
    id: 'perfkitBand',
    beforeDatasetsDraw: function (chart, _args, options) {
      if (!options || options.axis === undefined) return
      var scale = chart.scales[options.axis]
      var area = chart.chartArea
      var ctx = chart.ctx
      if (!scale || !area) return
      var horizontal = options.axis === 'x'
      ctx.save()
      if (options.from !== undefined && options.to !== undefined) {
        var a = scale.getPixelForValue(options.from)
        var b = scale.getPixelForValue(options.to)
        ctx.fillStyle = options.fill || 'rgba(100, 116, 139, 0.14)'
        if (horizontal) ctx.fillRect(Math.min(a, b), area.top, Math.abs(b - a), area.bottom - area.top)
        else ctx.fillRect(area.left, Math.min(a, b), area.right - area.left, Math.abs(b - a))
      }
      if (options.at !== undefined) {
        var p = scale.getPixelForValue(options.at)
        ctx.strokeStyle = options.line || '#334155'
        ctx.lineWidth = 1
        ctx.setLineDash([4, 3])
        ctx.beginPath()
        if (horizontal) {
          ctx.moveTo(p, area.top)
          ctx.lineTo(p, area.bottom)
        } else {
          ctx.moveTo(area.left, p)
          ctx.lineTo(area.right, p)
        }
        ctx.stroke()
      }
      ctx.restore()
    },
  }

  function showFailure(canvas, message) {
    var note = document.createElement('p')
    note.className = 'chart-failed'
    note.textContent = 'This chart could not be drawn: ' + message
    canvas.replaceWith(note)
  }

  /** `1`, `20`, `500`, `5,000`, `0.5`: at most three significant digits, no trailing zeros. */
  function compactNumber(value) {
    var rounded = Number(Number(value).toPrecision(3))
    return Math.abs(rounded) >= 1000 ? rounded.toLocaleString('en-US') : String(rounded)
  }

  /**
   * Logarithmic axes label only 1, 2 and 5 of each decade (Chart.js's default prints every tick with a
   * fixed number of decimals, `5,000.0`); functions cannot travel in the JSON, so they are added here.
   */
  function labelLogAxes(options) {
    var scales = options.scales || {}
    Object.keys(scales).forEach(function (key) {
      var scale = scales[key]
      if (!scale || scale.type !== 'logarithmic') return
      scale.ticks = scale.ticks || {}
      scale.ticks.callback = function (value) {
        if (!(value > 0)) return ''
        var mantissa = Number((value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9))).toPrecision(3))
        return mantissa === 1 || mantissa === 2 || mantissa === 5 ? compactNumber(value) : ''
      }
    })
  }

  function draw(spec) {
    var canvas = document.getElementById(spec.id)
    if (!canvas) return
    var config = spec.config
    config.options = config.options || {}
    config.options.plugins = config.options.plugins || {}
    labelLogAxes(config.options)
    if (spec.tooltips) {
      var tooltip = (config.options.plugins.tooltip = config.options.plugins.tooltip || {})
      tooltip.callbacks = {
        label: function (item) {
          var lines = spec.tooltips[item.datasetIndex]
          var line = lines && lines[item.dataIndex]
          return line === undefined || line === null ? undefined : line
        },
      }
    }
    try {
      new Chart(canvas, config)
    } catch (error) {
      console.error('perfkit: chart ' + spec.id + ' failed:', error)
      showFailure(canvas, String(error && error.message ? error.message : error))
    }
  }

  function main() {
    var element = document.getElementById('perfkit-data')
    if (!element) return
    var data = JSON.parse(element.textContent || '{}')
    if (typeof Chart === 'undefined') {
      console.error('perfkit: Chart.js did not load; charts are missing')
      return
    }
    Chart.register(bandPlugin)
    Chart.defaults.font.family = FONT
    Chart.defaults.font.size = 12
    Chart.defaults.color = '#334155'
    Chart.defaults.borderColor = '#e2e8f0'
    // Draw at once: the report is read, not watched, and a still page prints and screenshots whole.
    Chart.defaults.animation = false
    Chart.defaults.maintainAspectRatio = false
    ;(data.charts || []).forEach(draw)
  }

  main()
})()
