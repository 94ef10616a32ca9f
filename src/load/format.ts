// Numbers as a report shows them, in the text report and the HTML one alike:
// counts with thousands separators, fixed decimals, byte rates in SI units.
export const count = (n: number) => Math.round(n).toLocaleString('en-US')

export const decimal = (n: number, digits = 1) =>
  n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits})

export function bytesRate(perSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s']
  let value = perSecond
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }

  return `${decimal(value, unit === 0 ? 0 : 1)} ${units[unit]}`
}
