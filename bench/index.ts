// `npm run bench`: every benchmark, or those named on the command line
// (e.g. `npm run bench -- color`).
const suites: Record<string, () => Promise<{run(): Promise<void>}>> = {
  color: () => import('./color.js'),
  image: () => import('./image.js'),
  'image-large': () => import('./image-large.js'),
  'load-test': () => import('./load-test.js'),
}

const wanted = process.argv.slice(2)
const names = wanted.length > 0 ? wanted : Object.keys(suites)
for (const name of names) {
  const suite = suites[name]
  if (!suite) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(suites).join(', ')}`)
    process.exit(2)
  }
}

const cpus = (await import('node:os')).cpus()
console.log(`# webkit benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`)
for (const name of names) await (await suites[name]()).run()
