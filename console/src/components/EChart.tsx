import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only what the console draws (line and bar charts, SVG): the bundle carries these parts of ECharts, not all of it.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * One ECharts chart (Apache ECharts, used directly: a wrapper package would add a dependency for these 30 lines).
 * SVG renderer: crisp when printed, and its text is in the DOM (page tests read the axis labels).
 */
export function EChart({
  option,
  height = 320,
  testId,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, {
      renderer: 'svg',
      height,
      width: el.current.clientWidth || 900,
      locale: 'ZH',
    });
    chart.current = c;
    const onResize = () => c.resize({ width: el.current?.clientWidth || 900, height });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
      chart.current = null;
    };
  }, [height]);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={el} data-testid={testId} style={{ width: '100%', height }} />;
}
