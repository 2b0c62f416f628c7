import { useEffect, useMemo, useRef } from 'react'
import Taro from '@tarojs/taro'
import { Canvas, View } from '@tarojs/components'
import { echarts, type ChartOption } from './echarts'
import { WxCanvas, type CanvasTouchEvent } from './WxCanvas'
import './chart.scss'

type Props = {
  /** the box's id (tests find the canvas inside it) */
  id: string
  option: ChartOption
  /** height in design px (750 wide) */
  height: number
  /** what the chart shows, for screen readers */
  label: string
}

/**
 * One ECharts chart, filling the width of its box. H5: a DOM element, resized with it.
 * Mini-program: a `<Canvas type="2d">` whose node ECharts draws on through WxCanvas.
 */
export default function Chart(props: Props) {
  return process.env.TARO_ENV === 'h5' ? <DomChart {...props} /> : <CanvasChart {...props} />
}

function DomChart({ id, option, height, label }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const latest = useRef(option)
  latest.current = option

  useEffect(() => {
    const el = box.current
    if (!el) return
    let c: echarts.ECharts | null = null
    // a page still off screen (the router's transition) has no size yet: start once it has one
    const fitToBox = () => {
      if (!c && el.clientWidth > 0 && el.clientHeight > 0) {
        c = echarts.init(el, null, { renderer: 'canvas' })
        c.setOption(latest.current)
        chart.current = c
      } else c?.resize()
    }
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fitToBox)
    observer?.observe(el)
    window.addEventListener('resize', fitToBox)
    fitToBox()
    return () => {
      observer?.disconnect()
      window.removeEventListener('resize', fitToBox)
      c?.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    chart.current?.setOption(option, true)
  }, [option])

  return (
    <View id={id} className='xd-chart' style={{ height: Taro.pxTransform(height) }} aria-label={label}>
      <div ref={box} className='xd-chart__dom' />
    </View>
  )
}

let seq = 0

function CanvasChart({ id, option, height, label }: Props) {
  const canvasId = useMemo(() => `xd-canvas-${++seq}`, [])
  const chart = useRef<echarts.ECharts | null>(null)
  const canvas = useRef<WxCanvas | null>(null)
  const latest = useRef(option)
  latest.current = option

  useEffect(() => {
    let gone = false
    // the canvas node exists once this render is on screen
    Taro.nextTick(() => {
      Taro.createSelectorQuery()
        .select(`#${canvasId}`)
        .fields({ node: true, size: true })
        .exec((res: { node?: unknown; width: number; height: number }[]) => {
          const r = res?.[0]
          if (gone || !r?.node || !r.width) return
          const node = r.node as ConstructorParameters<typeof WxCanvas>[1]
          const wx = new WxCanvas(node.getContext('2d'), node)
          // ECharts measures text and makes its hover layer on a canvas of the platform's
          echarts.setPlatformAPI({ createCanvas: () => wx as unknown as HTMLCanvasElement })
          const dpr = Taro.getWindowInfo?.().pixelRatio ?? Taro.getSystemInfoSync().pixelRatio
          const c = echarts.init(wx as unknown as HTMLElement, null, { width: r.width, height: r.height, devicePixelRatio: dpr })
          wx.setChart(c)
          c.setOption(latest.current)
          chart.current = c
          canvas.current = wx
        })
    })
    return () => {
      gone = true
      chart.current?.dispose()
      chart.current = null
      canvas.current = null
    }
  }, [canvasId])

  useEffect(() => {
    chart.current?.setOption(option, true)
  }, [option])

  const touch = (phase: 'start' | 'move' | 'end') => (e: unknown) => canvas.current?.touch(phase, e as CanvasTouchEvent)
  return (
    <View id={id} className='xd-chart' style={{ height: Taro.pxTransform(height) }} aria-label={label}>
      <Canvas type='2d' id={canvasId} className='xd-chart__canvas' onTouchStart={touch('start')} onTouchMove={touch('move')} onTouchEnd={touch('end')} />
    </View>
  )
}
