// The mini-program's canvas as ECharts expects a DOM canvas (after echarts-for-weixin's
// wx-canvas.js): a `<Canvas type="2d">` node from createSelectorQuery, its 2d context, and
// touches handed to the chart's event handler (tooltips on tap).
import type { ECharts } from 'echarts/core'

type CanvasNode = { width: number; height: number; getContext: (type: '2d') => unknown }
type Touch = { x?: number; y?: number; clientX?: number; clientY?: number }
export type CanvasTouchEvent = { touches?: Touch[]; changedTouches?: Touch[] }
type ZrHandler = { dispatch: (name: string, event: object) => void }

const noop = () => undefined

export class WxCanvas {
  private chart: ECharts | null = null
  constructor(
    private readonly ctx: unknown,
    private readonly node: CanvasNode,
  ) {}

  getContext(type: string) {
    return type === '2d' ? this.ctx : null
  }
  setChart(chart: ECharts) {
    this.chart = chart
  }
  // zrender sizes its single canvas through these (width × devicePixelRatio)
  get width() {
    return this.node.width
  }
  set width(w: number) {
    this.node.width = w
  }
  get height() {
    return this.node.height
  }
  set height(h: number) {
    this.node.height = h
  }
  // zrender listens on its DOM; the mini-program's canvas has no listeners: touches come from `touch`
  addEventListener() {}
  removeEventListener() {}
  attachEvent() {}
  detachEvent() {}

  /** A touch on the canvas, as the mouse events zrender understands (x, y: relative to the canvas). */
  touch(phase: 'start' | 'move' | 'end', e: CanvasTouchEvent) {
    const t = (phase === 'end' ? e.changedTouches?.[0] : e.touches?.[0]) ?? e.touches?.[0]
    if (!t || !this.chart) return
    const handler = (this.chart.getZr() as unknown as { handler: ZrHandler }).handler
    const event = { zrX: t.x ?? t.clientX ?? 0, zrY: t.y ?? t.clientY ?? 0, preventDefault: noop, stopImmediatePropagation: noop, stopPropagation: noop }
    if (phase === 'start') {
      handler.dispatch('mousedown', event)
      handler.dispatch('mousemove', event)
    } else if (phase === 'move') handler.dispatch('mousemove', event)
    else {
      handler.dispatch('mouseup', event)
      handler.dispatch('click', event)
    }
  }
}
