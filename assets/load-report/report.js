// webkit load-test report: draws the charts whose data the page embeds
// (#report-charts) with uPlot, into their placeholders ([data-chart]), and
// keeps them as wide as their panels. Runs once, before the first paint.
;(function () {
  'use strict'
  var HEIGHT = 240
  var charts = JSON.parse(document.getElementById('report-charts').textContent)
  var number = new Intl.NumberFormat('en-US', {maximumFractionDigits: 3})
  var plots = []

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  }

  // x = log10(1/(1-p)): 0 is 0%, 1 is 90%, 2 is 99%, 3 is 99.9%.
  function percentileText(x, digits) {
    var p = 100 * (1 - Math.pow(10, -x))
    return (Math.abs(p - Math.round(p)) < 1e-9 ? Math.round(p) : p).toFixed(digits) + '%'
  }

  function tickText(x) {
    return x === 0 ? '0%' : percentileText(x, Math.max(0, Math.round(x) - 2))
  }

  // Wide enough for the longest label, as uPlot's own examples measure it.
  function axisSize(self, values, axisIdx, cycleNum) {
    var axis = self.axes[axisIdx]
    if (cycleNum > 1) return axis._size
    var size = axis.ticks.size + axis.gap
    var longest = (values || []).reduce(function (a, v) {
      return v.length > a.length ? v : a
    }, '')
    if (longest !== '') {
      self.ctx.font = axis.font[0]
      size += self.ctx.measureText(longest).width / devicePixelRatio
    }
    return Math.ceil(size) + 4
  }

  // Per-second values hold for their whole second: steps, closed at the end of the last one.
  function plotted(chart) {
    var x = chart.x.slice()
    var values = chart.series.map(function (s) {
      return s.values.slice()
    })
    if (chart.kind === 'seconds' && chart.end != null && chart.end > x[x.length - 1]) {
      x.push(chart.end)
      values.forEach(function (v) {
        v.push(v[v.length - 1])
      })
    }
    return [x].concat(values)
  }

  function idle(u) {
    u.root.classList.toggle('u-idle', u.cursor.idx == null)
  }

  function options(chart, width) {
    var axisColor = cssVar('--axis')
    var grid = {stroke: cssVar('--grid'), width: 1}
    var ticks = {stroke: cssVar('--grid'), width: 1}
    var font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
    var xs = plotted(chart)[0]
    var first = xs[0]
    var last = xs[xs.length - 1]
    var percentile = chart.kind === 'percentile'
    var steps = percentile ? undefined : uPlot.paths.stepped({align: 1})
    var x = percentile
      ? {
          label: 'percentile',
          value: function (u, v) {
            return v == null ? '—' : percentileText(v, Math.max(0, Math.ceil(v - 1e-9) - 1))
          },
        }
      : {
          label: 'second',
          value: function (u, v) {
            return v == null ? '—' : number.format(v) + ' s'
          },
        }
    var series = [x].concat(
      chart.series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          show: !s.hidden,
          spanGaps: false,
          paths: steps,
          points: {show: false},
          value: function (u, v) {
            return v == null ? '—' : number.format(v) + ' ' + chart.unit
          },
        }
      }),
    )
    return {
      width: width,
      height: HEIGHT,
      series: series,
      legend: {live: true},
      hooks: {
        init: [idle],
        setCursor: [idle],
      },
      cursor: {points: {size: 7}, drag: {x: !percentile, y: false}},
      scales: {
        x: {
          time: false,
          range: function (u, min, max) {
            return percentile ? [0, Math.max(last, 1)] : last > first ? [first, last] : [first - 0.5, first + 0.5]
          },
        },
        y: {
          range: function (u, min, max) {
            return [0, max > 0 ? max * 1.08 : 1]
          },
        },
      },
      axes: [
        {
          stroke: axisColor,
          grid: grid,
          ticks: ticks,
          font: font,
          // Whole seconds at any zoom; the percentile axis ticks at each decade of 1/(1-p).
          incrs: percentile ? undefined : [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
          splits: percentile
            ? function (u, i, min, max) {
                var out = []
                for (var d = Math.ceil(min); d <= Math.floor(max + 1e-9); d++) out.push(d)
                return out
              }
            : undefined,
          values: percentile
            ? function (u, splits) {
                return splits.map(tickText)
              }
            : function (u, splits) {
                return splits.map(function (s) {
                  return Number.isInteger(s) ? s + ' s' : ''
                })
              },
        },
        {
          stroke: axisColor,
          grid: grid,
          ticks: ticks,
          font: font,
          size: axisSize,
          label: chart.unit,
          labelFont: font,
          labelSize: 18,
          values: function (u, splits) {
            return splits.map(function (v) {
              return number.format(v)
            })
          },
        },
      ],
    }
  }

  function draw() {
    var placeholders = document.querySelectorAll('[data-chart]')
    for (var i = 0; i < placeholders.length; i++) {
      var el = placeholders[i]
      var chart = charts[el.getAttribute('data-chart')]
      if (!chart) continue
      var data = plotted(chart)
      plots.push({el: el, width: el.clientWidth, plot: new uPlot(options(chart, el.clientWidth), data, el)})
    }
    document.documentElement.setAttribute('data-charts', String(plots.length))
  }

  function redraw() {
    plots.forEach(function (p) {
      p.plot.destroy()
    })
    plots = []
    draw()
  }

  var pending = false
  function fit() {
    if (pending) return
    pending = true
    requestAnimationFrame(function () {
      pending = false
      plots.forEach(function (p) {
        var width = p.el.clientWidth
        if (width !== p.width) {
          p.width = width
          p.plot.setSize({width: width, height: HEIGHT})
        }
      })
    })
  }

  draw()
  if (typeof ResizeObserver === 'function') {
    var observer = new ResizeObserver(fit)
    plots.forEach(function (p) {
      observer.observe(p.el)
    })
  } else {
    window.addEventListener('resize', fit)
  }
  // Axis and grid colors come from the page's theme: draw again when it changes.
  if (window.matchMedia) {
    var scheme = window.matchMedia('(prefers-color-scheme: dark)')
    if (scheme.addEventListener) scheme.addEventListener('change', redraw)
  }
})()
